package id.audit.tokenid.app.config;

import id.audit.tokenid.app.budgets.BudgetStore;
import id.audit.tokenid.app.pricing.PriceFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The service's flags (SPEC §5). Each has an environment twin, {@code TOKENID_<NAME>}, read
 * when the flag is absent; the flag wins. {@link #toConfig()} validates them all at once.
 */
public final class ServiceOptions {

    /** The default of {@code --bootstrap-servers}, shared with the {@code budget} command's. */
    public static final String BOOTSTRAP_SERVERS_DEFAULT = "${env:TOKENID_BOOTSTRAP_SERVERS:-localhost:9092}";
    /** The default of {@code --budgets-topic}, shared with the {@code budget} command's. */
    public static final String BUDGETS_TOPIC_DEFAULT = "${env:TOKENID_BUDGETS_TOPIC:-" + BudgetStore.DEFAULT_TOPIC + "}";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = BOOTSTRAP_SERVERS_DEFAULT,
            description = "Kafka bootstrap servers. Env TOKENID_BOOTSTRAP_SERVERS. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--input-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOKENID_INPUT_TOPIC:-api-calls}",
            description = "Topic of api_call events. Env TOKENID_INPUT_TOPIC. Default: ${DEFAULT-VALUE}.")
    String inputTopic;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOKENID_DLQ_TOPIC:-api-calls.dlq}",
            description = "Dead-letter topic for bad records. Env TOKENID_DLQ_TOPIC. Default: ${DEFAULT-VALUE}.")
    String dlqTopic;

    @Option(names = "--tokens-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOKENID_TOKENS_TOPIC:-api-tokens}",
            description = "Compacted topic of token digests. Env TOKENID_TOKENS_TOPIC. Default: ${DEFAULT-VALUE}.")
    String tokensTopic;

    @Option(names = "--tokens-file", paramLabel = "PATH",
            defaultValue = "${env:TOKENID_TOKENS_FILE:-}",
            description = "File of token digests (re-read on change). Env TOKENID_TOKENS_FILE. Default: none.")
    String tokensFile;

    @Option(names = "--budgets-topic", paramLabel = "TOPIC", defaultValue = BUDGETS_TOPIC_DEFAULT,
            description = "Compacted topic of org budgets (README, \"Budgets\"). Env TOKENID_BUDGETS_TOPIC. "
                    + "Default: ${DEFAULT-VALUE}.")
    String budgetsTopic;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:TOKENID_APPLICATION_ID:-tokenid-metrics}",
            description = "Kafka Streams application.id shared by all instances. Env TOKENID_APPLICATION_ID. Default: ${DEFAULT-VALUE}.")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR",
            defaultValue = "${env:TOKENID_STATE_DIR:-./state}",
            description = "Directory of the RocksDB state. Env TOKENID_STATE_DIR. Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--http-port", paramLabel = "PORT",
            defaultValue = "${env:TOKENID_HTTP_PORT:-9400}",
            description = "Port of GET /metrics (Bearer auth). Env TOKENID_HTTP_PORT. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--management-port", paramLabel = "PORT",
            defaultValue = "${env:TOKENID_MANAGEMENT_PORT:-9401}",
            description = "Port of /metrics (own health), /healthz, /readyz. Env TOKENID_MANAGEMENT_PORT. Default: ${DEFAULT-VALUE}.")
    int managementPort;

    @Option(names = "--advertised-address", paramLabel = "HOST:PORT",
            defaultValue = "${env:TOKENID_ADVERTISED_ADDRESS:-}",
            description = "Where other instances reach this one's HTTP port. Env TOKENID_ADVERTISED_ADDRESS. Default: this host's name and --http-port.")
    String advertisedAddress;

    @Option(names = "--standby-replicas", paramLabel = "N",
            defaultValue = "${env:TOKENID_STANDBY_REPLICAS:-0}",
            description = "Standby replicas of each state store. Env TOKENID_STANDBY_REPLICAS. Default: ${DEFAULT-VALUE}.")
    int standbyReplicas;

    @Option(names = "--stream-threads", paramLabel = "N",
            defaultValue = "${env:TOKENID_STREAM_THREADS:-2}",
            description = "Kafka Streams threads of this instance; each works on its own tasks (partitions). Env TOKENID_STREAM_THREADS. Default: ${DEFAULT-VALUE}.")
    int streamThreads;

    @Option(names = "--dedup-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:TOKENID_DEDUP_WINDOW:-PT1H}",
            description = "A repeated event_id of an org counts once when it arrives within this time of the first copy and their event times are this close too; PT0S turns dedup off. Env TOKENID_DEDUP_WINDOW. Default: ${DEFAULT-VALUE}.")
    Duration dedupWindow;

    @Option(names = "--bucket", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:TOKENID_BUCKET:-PT1M}",
            description = "Time bucket of the rolling 24 h and 1 h costs (their edge error); must divide 1 hour. Env TOKENID_BUCKET. Default: ${DEFAULT-VALUE}.")
    Duration bucket;

    @Option(names = "--max-series-per-org", paramLabel = "N",
            defaultValue = "${env:TOKENID_MAX_SERIES_PER_ORG:-1000}",
            description = "(provider, model) series an org may have; events of pairs first seen beyond it count in the org's OVERFLOW series. Lowering it removes no series. Env TOKENID_MAX_SERIES_PER_ORG. Default: ${DEFAULT-VALUE}.")
    int maxSeriesPerOrg;

    @Option(names = "--internal-secret-file", paramLabel = "PATH",
            defaultValue = "${env:TOKENID_INTERNAL_SECRET_FILE:-}",
            description = "File holding the secret (at least 32 bytes) that instances share to sign requests to each other; "
                    + "env TOKENID_INTERNAL_SECRET may hold the secret itself instead. Env TOKENID_INTERNAL_SECRET_FILE. "
                    + "Default: none (a random secret: this instance forwards to no other).")
    String internalSecretFile;

    @Option(names = "--prices-file", paramLabel = "PATH",
            defaultValue = "${env:TOKENID_PRICES_FILE:-}",
            description = "Price table (CSV, README \"Prices\") that prices events without cost_usd; replaces the shipped one. Env TOKENID_PRICES_FILE. Default: the table shipped in the jar.")
    String pricesFile;

    @Option(names = "--prices-topic", paramLabel = "TOPIC",
            defaultValue = "${env:TOKENID_PRICES_TOPIC:-api-prices}",
            description = "Compacted topic of price rows that add to or override the price table live. Env TOKENID_PRICES_TOPIC. Default: ${DEFAULT-VALUE}.")
    String pricesTopic;

    @Option(names = "--rocksdb-memory", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:TOKENID_ROCKSDB_MEMORY:-256MiB}",
            description = "Native memory all RocksDB stores of this instance share (block cache, index and filter blocks, memtables; README \"Memory\"), 16MiB..1TiB. Env TOKENID_ROCKSDB_MEMORY. Default: ${DEFAULT-VALUE}.")
    long rocksDbMemory;

    /** Validates every option together; throws IllegalArgumentException naming the flag. */
    public AppConfig toConfig() {
        AppConfig.Endpoint advertised = advertisedAddress == null || advertisedAddress.isBlank()
                ? new AppConfig.Endpoint(localHostName(), httpPort)
                : AppConfig.Endpoint.parse(advertisedAddress, httpPort, "--advertised-address");
        Optional<Path> tokens = tokensFile == null || tokensFile.isBlank()
                ? Optional.empty() : Optional.of(Path.of(tokensFile));
        Optional<Path> prices = pricesFile == null || pricesFile.isBlank()
                ? Optional.empty() : Optional.of(Path.of(pricesFile));
        // Read once here so that a broken table stops the start before Kafka is asked anything;
        // the streams read it again when they build the topology.
        prices.ifPresent(ServiceOptions::requireReadablePrices);
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokens, applicationId,
                stateDir, httpPort, managementPort, advertised, standbyReplicas, streamThreads,
                dedupWindow, bucket, InternalSecrets.read(internalSecretFile, System.getenv(InternalSecrets.ENV)),
                maxSeriesPerOrg, budgetsTopic, prices, pricesTopic, rocksDbMemory);
    }

    private static void requireReadablePrices(Path file) {
        try {
            PriceFile.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prices-file: " + e.getMessage(), e);
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Sizes such as 256MiB ({@link ByteSize}), with an error that says what was expected. */
    public static final class ByteSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** ISO-8601 durations (PT1H), with an error that says what was expected. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT1H or PT30S");
            }
        }
    }
}
