package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.app.tokens.TokenRecord;
import id.audit.tokenid.app.tokens.TokenStore;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.schemas.ApiCallCodec;
import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.DecodeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #13: one org id spelled in each input (an event through the codec, a tokens-file line, a
 * token-topic value, the CLI's {@code token create --org}) lands on the same org, or is refused
 * by all four; and a digest in uppercase hex is refused by both token sources.
 */
class OrgIdAcrossInputsTest {

    private static final String TOKENS_TOPIC = "api-tokens";

    @TempDir
    Path dir;

    /** Each spelling and the org it must land on (written out here, not computed), or null: refused. */
    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("acme", "acme"),
                Arguments.of(" ACME ", "acme"),
                Arguments.of("Acme", "acme"),
                Arguments.of("\tAcMe\t", "acme"),
                Arguments.of("\t ACME \t", "acme"),
                Arguments.of("AC\u3000ME", "ac\u3000me"),        // U+3000 is not blank: kept inside
                Arguments.of(" Acme\u3000", "acme\u3000"),       // ... and at the end
                Arguments.of("ac\uD800me", null),                // a lone surrogate is not valid Unicode
                Arguments.of(" \t ", null),                      // blank
                Arguments.of("x".repeat(129), null));            // over 128 code points
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void everyInputLandsOnTheSameOrgOrRefusesIt(String raw, String expected) throws IOException {
        // when
        Optional<String> viaCodec = viaCodec(raw);
        Optional<String> viaFile = viaTokensFile(raw);
        Optional<String> viaTopic = viaTopicValue(raw);
        Optional<String> viaCli = viaCli(raw);

        // then
        Optional<String> org = Optional.ofNullable(expected);
        assertThat(viaCodec).as("codec").isEqualTo(org);
        assertThat(viaFile).as("tokens file").isEqualTo(org);
        assertThat(viaTopic).as("token topic").isEqualTo(org);
        assertThat(viaCli).as("token create --org").isEqualTo(org);
    }

    @Test
    void aDigestInUppercaseHexIsRefusedByTheFileAndByTheTopic() throws IOException {
        // given
        String digest = TokenDigests.sha256Hex("td_live_example");
        String upper = digest.toUpperCase(java.util.Locale.ROOT);
        Path file = Files.writeString(dir.resolve("tokens.txt"), upper + " org:acme\n", StandardCharsets.UTF_8);

        // when
        try (TokensFile tokens = TokensFile.open(file, Duration.ofMinutes(10));
             TopologyTestDriver driver = tokenStoreDriver()) {
            TestInputTopic<String, byte[]> topic = driver.createInputTopic(TOKENS_TOPIC, new StringSerializer(),
                    new ByteArraySerializer());
            topic.pipeInput(upper, TokenRecord.toJson(Principal.org("acme")).getBytes(StandardCharsets.UTF_8));
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(TokenStore.NAME);

            // then: neither source grants it, under either spelling, and the file says why
            assertThat(tokens.lookup(digest)).isEmpty();
            assertThat(tokens.lookup(upper)).isEmpty();
            assertThat(tokens.problems()).singleElement().asString().contains("uppercase");
            assertThat(store.get(upper)).isNull();
            assertThat(store.get(digest)).isNull();
        }
    }

    @Test
    void aDigestInLowercaseHexIsGrantedByTheFileAndByTheTopic() throws IOException {
        // given
        String digest = TokenDigests.sha256Hex("td_live_example");
        Path file = Files.writeString(dir.resolve("tokens.txt"), digest + " org:acme\n", StandardCharsets.UTF_8);

        // when
        try (TokensFile tokens = TokensFile.open(file, Duration.ofMinutes(10));
             TopologyTestDriver driver = tokenStoreDriver()) {
            driver.createInputTopic(TOKENS_TOPIC, new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(digest, TokenRecord.toJson(Principal.org("acme")).getBytes(StandardCharsets.UTF_8));
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore(TokenStore.NAME);

            // then
            assertThat(tokens.lookup(digest)).contains(Principal.org("acme"));
            assertThat(TokenRecord.parseValue(store.get(digest))).contains(Principal.org("acme"));
        }
    }

    private static Optional<String> viaCodec(String raw) {
        DecodeResult result = ApiCallCodec.decode(("{\"org_id\": " + jsonString(raw) + "}")
                .getBytes(StandardCharsets.US_ASCII));
        return result instanceof ApiCallEvent event ? Optional.of(event.orgId()) : Optional.empty();
    }

    private Optional<String> viaTokensFile(String raw) throws IOException {
        String digest = TokenDigests.sha256Hex("td_live_file");
        Path file = Files.write(dir.resolve("file.txt"), wtf8(digest + " org:" + raw + "\n"));
        try (TokensFile tokens = TokensFile.open(file, Duration.ofMinutes(10))) {
            return tokens.lookup(digest).map(principal -> principal.orgId().get());
        }
    }

    private static Optional<String> viaTopicValue(String raw) {
        byte[] value = ("{\"org_id\": " + jsonString(raw) + ", \"role\": \"org\"}").getBytes(StandardCharsets.US_ASCII);
        return TokenRecord.parseValue(value).map(principal -> principal.orgId().get());
    }

    /** The CLI's answer, and the line it prints read back through a tokens file. */
    private Optional<String> viaCli(String raw) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("token", "create", "--org", raw);
        if (code != 0) {
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("--org must be");
            return Optional.empty();
        }
        Matcher line = Pattern.compile("tokens-file line: ([0-9a-f]{64}) org:([^\n]*)\n").matcher(out.toString());
        assertThat(line.find()).as(out.toString()).isTrue();
        Path file = Files.write(dir.resolve("cli.txt"), wtf8(line.group(1) + " org:" + line.group(2) + "\n"));
        try (TokensFile tokens = TokensFile.open(file, Duration.ofMinutes(10))) {
            Optional<String> readBack = tokens.lookup(line.group(1)).map(principal -> principal.orgId().get());
            assertThat(readBack).as("the printed line read back").contains(line.group(2));
            return readBack;
        }
    }

    private TopologyTestDriver tokenStoreDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        TokenStore.addTo(builder, TOKENS_TOPIC);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-tokens-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        return new TopologyTestDriver(builder.build(), props);
    }

    /** A JSON string literal in ASCII: every other char escaped, lone surrogates included. */
    private static String jsonString(String raw) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : raw.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                json.append(c);
            } else {
                json.append(String.format("\\u%04x", (int) c));
            }
        }
        return json.append('"').toString();
    }

    /**
     * UTF-8, except that a lone surrogate is encoded as its three bytes (as a careless writer
     * would) instead of being replaced by '?' as {@link String#getBytes} does.
     */
    private static byte[] wtf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xc0 | cp >> 6);
                out.write(0x80 | cp & 0x3f);
            } else if (cp < 0x10000) {
                out.write(0xe0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3f);
                out.write(0x80 | cp & 0x3f);
            } else {
                out.write(0xf0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3f);
                out.write(0x80 | cp >> 6 & 0x3f);
                out.write(0x80 | cp & 0x3f);
            }
        });
        return out.toByteArray();
    }
}
