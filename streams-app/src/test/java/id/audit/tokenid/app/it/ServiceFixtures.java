package id.audit.tokenid.app.it;

import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.http.InternalSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Configs, tokens and traffic for tests that run whole service instances. */
final class ServiceFixtures {

    private ServiceFixtures() {
    }

    /** The secret every instance of a test deployment shares, as operators set one (README). */
    static final String INTERNAL_SECRET = "test deployment secret, at least 32 bytes long";

    static AppConfig config(EmbeddedKafka kafka, String appId, Path stateDir, int httpPort, Path tokensFile) {
        return new AppConfig(kafka.bootstrapServers(), appId + "-calls", appId + "-calls.dlq", appId + "-tokens",
                Optional.of(tokensFile), appId, stateDir, httpPort, 0,
                new AppConfig.Endpoint("localhost", httpPort), 0, 1, Duration.ofHours(1), Duration.ofMinutes(1))
                .withInternalSecret(internalSecret()).withBudgetsTopic(appId + "-budgets")
                .withPrices(Optional.empty(), appId + "-prices");
    }

    static InternalSecret internalSecret() {
        return InternalSecret.of(INTERNAL_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #INTERNAL_SECRET} in a file, for an instance started as a process. */
    static Path writeInternalSecretFile(Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "internal-secret", ".txt");
        Files.writeString(file, INTERNAL_SECRET + "\n");
        return file;
    }

    /** A fresh token for each of org-0 .. org-(n-1). */
    static Map<String, String> mintOrgTokens(int orgs) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < orgs; i++) {
            tokens.put("org-" + i, Tokens.mint());
        }
        return tokens;
    }

    static Path writeTokensFile(Path dir, Map<String, String> tokensByOrg) throws Exception {
        List<String> lines = tokensByOrg.entrySet().stream()
                .map(e -> TokensFile.formatLine(TokenDigests.sha256Hex(e.getValue()), Principal.org(e.getKey())))
                .toList();
        Path file = Files.createTempFile(dir, "tokens", ".txt");
        Files.write(file, lines);
        return file;
    }

    /** An org whose owner (as the observer's metadata tells) listens on the given HTTP port. */
    static String orgOwnedBy(id.audit.tokenid.app.Service observer, Iterable<String> orgs, int port) {
        for (String org : orgs) {
            var owner = observer.runtime().streams().queryMetadataForKey(
                    id.audit.tokenid.app.topology.StoreNames.TOTALS, id.audit.tokenid.app.topology.StoreKeys.org(org),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
            if (owner.activeHost() != null && owner.activeHost().port() == port) {
                return org;
            }
        }
        throw new AssertionError("the instance on port " + port + " owns none of the orgs");
    }

    static void produce(EmbeddedKafka kafka, String topic, List<GeneratedTraffic.Generated> records) {
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (GeneratedTraffic.Generated record : records) {
                producer.send(new ProducerRecord<>(topic, record.partition(), null, record.value()));
            }
            producer.flush();
        }
    }
}
