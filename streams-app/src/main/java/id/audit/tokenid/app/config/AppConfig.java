package id.audit.tokenid.app.config;

import id.audit.tokenid.app.topology.TopologySettings;
import id.audit.tokenid.app.budgets.BudgetStore;
import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.exporter.http.InternalSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every setting of one instance, read once at start-up from flags and their environment twins
 * (see {@link ServiceOptions}), validated here so that nothing starts half-configured.
 *
 * @param advertisedAddress host:port at which other instances reach this one's HTTP port; it
 *                          is also Kafka Streams' {@code application.server}, so the two
 *                          cannot disagree
 * @param internalSecret    the secret the instances of one deployment share to sign requests
 *                          to each other; empty: a random one is made at start, and this
 *                          instance can forward to no other (fine for a single instance)
 * @param maxSeriesPerOrg   how many (provider, model) series an org may have; the events of
 *                          pairs first seen beyond it count in the org's OVERFLOW series
 * @param budgetsTopic      the compacted topic of org budgets ({@code --budgets-topic})
 * @param pricesFile        the price table that prices events without a cost; empty: the one
 *                          shipped in the jar
 * @param pricesTopic       compacted topic of price rows that add to or override the file's
 * @param rocksDbMemoryBytes the native memory all RocksDB stores of the instance share: block
 *                          cache, index and filter blocks, memtables ({@link BoundedRocksDbMemory})
 */
public record AppConfig(String bootstrapServers, String inputTopic, String dlqTopic, String tokensTopic,
                        Optional<Path> tokensFile, String applicationId, Path stateDir, int httpPort,
                        int managementPort, Endpoint advertisedAddress, int standbyReplicas,
                        int streamThreads, Duration dedupWindow, Duration bucket,
                        Optional<InternalSecret> internalSecret, int maxSeriesPerOrg,
                        String budgetsTopic, Optional<Path> pricesFile, String pricesTopic,
                        long rocksDbMemoryBytes) {

    /** The most {@code --max-series-per-org} may be: an org's scrape stays a few MB at most. */
    public static final int MAX_SERIES_PER_ORG_LIMIT = 100_000;
    /**
     * {@code --rocksdb-memory} by default: for all stores together about what Kafka's defaults
     * give each store (and each window-store segment) alone, a 50 MiB cache and up to 48 MiB of
     * memtables, times two or three.
     */
    public static final long DEFAULT_ROCKSDB_MEMORY_BYTES = 256L << 20;
    /** The least {@code --rocksdb-memory} may be: a few memtables and blocks must fit. */
    public static final long MIN_ROCKSDB_MEMORY_BYTES = 16L << 20;
    /** The most {@code --rocksdb-memory} may be. */
    public static final long MAX_ROCKSDB_MEMORY_BYTES = 1L << 40;

    /** As a service started with these settings and the default RocksDB memory. */
    public AppConfig(String bootstrapServers, String inputTopic, String dlqTopic, String tokensTopic,
                     Optional<Path> tokensFile, String applicationId, Path stateDir, int httpPort,
                     int managementPort, Endpoint advertisedAddress, int standbyReplicas,
                     int streamThreads, Duration dedupWindow, Duration bucket,
                     Optional<InternalSecret> internalSecret, int maxSeriesPerOrg,
                     String budgetsTopic, Optional<Path> pricesFile, String pricesTopic) {
        this(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir, httpPort,
                managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, maxSeriesPerOrg, budgetsTopic, pricesFile, pricesTopic, DEFAULT_ROCKSDB_MEMORY_BYTES);
    }

    /** With the default series limit per org, budgets topic, price table and prices topic. */
    public AppConfig(String bootstrapServers, String inputTopic, String dlqTopic, String tokensTopic,
                     Optional<Path> tokensFile, String applicationId, Path stateDir, int httpPort,
                     int managementPort, Endpoint advertisedAddress, int standbyReplicas,
                     int streamThreads, Duration dedupWindow, Duration bucket,
                     Optional<InternalSecret> internalSecret) {
        this(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir, httpPort,
                managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, TopologySettings.DEFAULT_MAX_SERIES_PER_ORG, BudgetStore.DEFAULT_TOPIC,
                Optional.empty(), PriceSettings.DEFAULT_TOPIC);
    }

    /** Without an internal secret: for single instances (demo, tests, benchmarks). */
    public AppConfig(String bootstrapServers, String inputTopic, String dlqTopic, String tokensTopic,
                     Optional<Path> tokensFile, String applicationId, Path stateDir, int httpPort,
                     int managementPort, Endpoint advertisedAddress, int standbyReplicas,
                     int streamThreads, Duration dedupWindow, Duration bucket) {
        this(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir, httpPort,
                managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                Optional.empty());
    }

    public AppConfig {
        requireText(bootstrapServers, "--bootstrap-servers");
        requireText(inputTopic, "--input-topic");
        requireText(dlqTopic, "--dlq-topic");
        requireText(tokensTopic, "--tokens-topic");
        requireText(budgetsTopic, "--budgets-topic");
        requireText(applicationId, "--application-id");
        Objects.requireNonNull(tokensFile, "tokensFile");
        Objects.requireNonNull(internalSecret, "internalSecret");
        Objects.requireNonNull(pricesFile, "--prices-file");
        requireText(pricesTopic, "--prices-topic");
        Objects.requireNonNull(stateDir, "--state-dir");
        Objects.requireNonNull(advertisedAddress, "--advertised-address");
        requirePort(httpPort, "--http-port");
        requirePort(managementPort, "--management-port");
        if (httpPort != 0 && httpPort == managementPort) {
            throw new IllegalArgumentException("--http-port and --management-port must differ, both were " + httpPort);
        }
        if (standbyReplicas < 0 || standbyReplicas > 10) {
            throw new IllegalArgumentException("--standby-replicas must be 0..10, was " + standbyReplicas);
        }
        if (streamThreads < 1 || streamThreads > 64) {
            throw new IllegalArgumentException("--stream-threads must be 1..64, was " + streamThreads);
        }
        if (dedupWindow.isNegative() || dedupWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("--dedup-window must be PT0S (off) .. P7D, was " + dedupWindow);
        }
        // Dividing the hour makes the 1 h and 24 h windows whole numbers of buckets.
        if (bucket.toMillis() < 1000 || bucket.compareTo(Duration.ofHours(1)) > 0
                || Duration.ofHours(1).toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("--bucket must be between PT1S and PT1H and divide 1 hour, was " + bucket);
        }
        if (maxSeriesPerOrg < 1 || maxSeriesPerOrg > MAX_SERIES_PER_ORG_LIMIT) {
            throw new IllegalArgumentException("--max-series-per-org must be 1.." + MAX_SERIES_PER_ORG_LIMIT + ", was "
                    + maxSeriesPerOrg);
        }
        if (rocksDbMemoryBytes < MIN_ROCKSDB_MEMORY_BYTES || rocksDbMemoryBytes > MAX_ROCKSDB_MEMORY_BYTES) {
            throw new IllegalArgumentException("--rocksdb-memory must be " + ByteSize.format(MIN_ROCKSDB_MEMORY_BYTES)
                    + ".." + ByteSize.format(MAX_ROCKSDB_MEMORY_BYTES) + ", was " + ByteSize.format(rocksDbMemoryBytes));
        }
    }

    /** The same settings with this shared internal secret. */
    public AppConfig withInternalSecret(InternalSecret secret) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                Optional.of(secret), maxSeriesPerOrg, budgetsTopic, pricesFile, pricesTopic, rocksDbMemoryBytes);
    }

    /** The same settings with this budgets topic. */
    public AppConfig withBudgetsTopic(String topic) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, maxSeriesPerOrg, topic, pricesFile, pricesTopic, rocksDbMemoryBytes);
    }

    /** The same settings with another dedup window (zero: dedup off). */
    public AppConfig withDedupWindow(Duration window) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, window, bucket,
                internalSecret, maxSeriesPerOrg, budgetsTopic, pricesFile, pricesTopic, rocksDbMemoryBytes);
    }

    /** The same settings with another series limit per org. */
    public AppConfig withMaxSeriesPerOrg(int limit) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, limit, budgetsTopic, pricesFile, pricesTopic, rocksDbMemoryBytes);
    }

    /** The same settings with this prices file (empty: the shipped table) and prices topic. */
    public AppConfig withPrices(Optional<Path> file, String topic) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, maxSeriesPerOrg, budgetsTopic, file, topic, rocksDbMemoryBytes);
    }

    /** The same settings with this RocksDB memory bound. */
    public AppConfig withRocksDbMemory(long bytes) {
        return new AppConfig(bootstrapServers, inputTopic, dlqTopic, tokensTopic, tokensFile, applicationId, stateDir,
                httpPort, managementPort, advertisedAddress, standbyReplicas, streamThreads, dedupWindow, bucket,
                internalSecret, maxSeriesPerOrg, budgetsTopic, pricesFile, pricesTopic, bytes);
    }

    private static void requireText(String value, String flag) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
    }

    private static void requirePort(int port, String flag) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port 0..65535, was " + port);
        }
    }

    /** A host and port, as advertised to other instances. */
    public record Endpoint(String host, int port) {
        public Endpoint {
            requireText(host, "host");
            requirePort(port, "port");
        }

        /** Parses {@code host:port}; a bare host takes the given default port. */
        public static Endpoint parse(String text, int defaultPort, String flag) {
            String value = text.trim();
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                return new Endpoint(value, defaultPort);
            }
            try {
                return new Endpoint(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(flag + " must be host:port, was '" + text + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
