package id.audit.tokenid.app.config;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams configuration of an instance. The guarantees are not optional: exactly-once,
 * transactional state stores, committed-only interactive queries, explicit internal names.
 * Overrides (tests, benchmarks) are applied first; defaults only fill what they leave out.
 */
public final class StreamsProperties {

    /**
     * How often a task commits its transaction. Each commit is a transaction and a write-back of
     * what the aggregation summed in memory since the last one (see {@code CommitHooks}): at
     * exactly-once's usual 100 ms, committing dominates a busy thread. Under exactly-once a count
     * is readable only once its transaction commits, and an event that crosses the by-org topic
     * waits for its sender's commit first: at 1 s its p99 from produce to {@code /metrics} was
     * 1.7-2.2 s, at 500 ms 0.96 s (BENCHMARKS.md, freshness; target 1.5 s).
     */
    public static final long COMMIT_INTERVAL_MS = 500;

    /**
     * How long the broker may hold a fetch of the restore consumer that finds nothing new.
     * Restoring a task waits for such a fetch (its changelogs are empty or fully read), and a
     * stream thread hands its tasks to the state updater one round after another: at Kafka's
     * 500 ms, a fresh start spent about a second of its 2.3 s waiting there (BENCHMARKS.md,
     * run 31). Standby tasks poll with it too: at 100 ms an idle one costs ten small fetches a second.
     */
    static final int RESTORE_FETCH_MAX_WAIT_MS = 100;

    /**
     * How often a stream thread's consumer heartbeats its group. Under the classic protocol a
     * member learns that another one joined (a second stream thread, a new instance) from its
     * next heartbeat, and the group waits for it: at Kafka's 3 s, 5 of 16 starts of a
     * two-thread instance reached RUNNING after 3.2 s instead of 1.1 s (BENCHMARKS.md, runs
     * 40-41). Costs two small requests a second per thread.
     */
    static final int HEARTBEAT_INTERVAL_MS = 500;

    /**
     * Room in each stream thread's record cache for the commit hooks' markers, one small entry per
     * task (see {@code CommitHooks}): the cache's flush before each commit is what tells the
     * aggregation to write what it summed, so it must not be 0 (then every marker would be
     * flushed as it is written: correct, but a store write per event). No other store of the
     * topology is cached: the aggregation sums in plain maps between commits and writes each
     * changed key once (see {@code UsageTopology}); the global stores keep the store builders'
     * default, uncached. Kafka's default is 10 MiB, split between the stream threads.
     */
    static final long RECORD_CACHE_BYTES = 1024 * 1024;

    /**
     * How long the group coordinator waits for a silent member (a process killed with
     * SIGKILL, a host gone) before it moves the member's tasks to the others: the floor of every
     * fail-over after a crash. 6 s is the broker's {@code group.min.session.timeout.ms} default,
     * the shortest it accepts; Kafka's 45 s left an org unanswered for 45 s. With heartbeats
     * every 500 ms a member must miss 12 in a row to be dropped, so only a stop-the-world pause
     * (GC, a frozen VM) over 6 s causes a false fail-over, which costs a rebalance, never a count.
     */
    static final int SESSION_TIMEOUT_MS = 6_000;

    /**
     * Which instance runs which task: {@link StickyByLagAssignor} (this service's, through the
     * public KIP-924 interface): a task stays where it runs, a moved task goes to the instance
     * with the freshest copy. Kafka's default re-dealt tasks on every join and leave; Kafka's
     * sticky one sent a moved task to stale state. Its "caught up" is Kafka's
     * {@code acceptable.recovery.lag} (10,000 changelog records, a second or so of restore).
     */
    static final String TASK_ASSIGNOR = StickyByLagAssignor.class.getName();

    /** Room for a dead letter of any size the input topic may carry, plus headers. */
    static final int DLQ_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private StreamsProperties() {
    }

    public static Properties of(AppConfig config, Map<String, ?> overrides) {
        return of(config, config.advertisedAddress(), overrides);
    }

    /** With the advertised address the instance ended up with (its HTTP port bound first). */
    public static Properties of(AppConfig config, AppConfig.Endpoint advertised, Map<String, ?> overrides) {
        Properties props = new Properties();
        props.putAll(overrides);
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.toString());
        props.putIfAbsent(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        props.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.putIfAbsent(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.putIfAbsent(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, TASK_ASSIGNOR);
        props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, RECORD_CACHE_BYTES);
        // KIP-1270: the processing exception handler (the default, log-and-fail) also covers the
        // global tokens store, as it will by default from Kafka Streams 5.0. The tokens processor
        // turns a malformed value into a revocation and does not throw, so nothing changes but
        // the start-up warning that asks for this setting goes away.
        // https://cwiki.apache.org/confluence/display/KAFKA/KIP-1270:+Extend+ProcessExceptionalHandler+for+GlobalThread
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Each stream thread's partition assignor makes its own (quiet) StreamsConfig from the
        // main consumer's settings, which leave this one out, and 4.4.0 warns there whatever the
        // instance says: hand it to the main consumer too (its assignor reads it; the consumer
        // itself only notes an unused setting, at INFO).
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
        // A task reads two partitions (input p and by-org p) and sums what it reads: the order
        // between them never matters, so never hold one back waiting for the other. Disabling
        // the wait also skips Streams' per-iteration readiness bookkeeping (13% of a busy
        // stream thread in BENCHMARKS.md).
        props.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // A bad record of up to the input's size limit must still fit into the dead-letter topic
        // (whose max.message.bytes must allow it too).
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), DLQ_MAX_REQUEST_BYTES);
        props.putIfAbsent(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                RESTORE_FETCH_MAX_WAIT_MS);
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                HEARTBEAT_INTERVAL_MS);
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        // One bound for all RocksDB stores (README "Memory"); the setter reads the size from the settings.
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.putIfAbsent(BoundedRocksDbMemory.BYTES_CONFIG, config.rocksDbMemoryBytes());
        // A new deployment reads the whole topic: totals are totals of everything.
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }
}
