package id.audit.tokenid.app;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.app.budgets.BudgetStore;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.config.StreamsProperties;
import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.app.query.LocalUsageReader;
import id.audit.tokenid.app.query.RestoringPartitions;
import id.audit.tokenid.app.topology.IngestMetrics;
import id.audit.tokenid.app.topology.TopologySettings;
import id.audit.tokenid.app.topology.UsageTopology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams side of one instance: builds the topology from the config, runs it, and
 * offers the local query seam. A stream thread that dies is replaced rather than taking the
 * instance down; closing waits for a clean shutdown so the next start need not restore.
 */
public final class StreamsRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRuntime.class);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final PartitionWatch partitions;
    private final LocalUsageReader localReader;
    private final BudgetStore budgets;
    private final Readiness readiness;
    private final TransactionWatch transactions;
    private final AbandonedTransactionFence fence;

    private StreamsRuntime(KafkaStreams streams, HostInfo self, PartitionWatch partitions,
                           RestoringPartitions restoring, Readiness readiness, TransactionWatch transactions,
                           AbandonedTransactionFence fence) {
        this.streams = streams;
        this.fence = fence;
        this.transactions = transactions;
        this.readiness = readiness;
        this.self = self;
        this.partitions = partitions;
        this.budgets = BudgetStore.of(streams);
        this.localReader = new LocalUsageReader(streams, self, partitions::intact, budgets, restoring);
    }

    static TopologySettings topologySettings(AppConfig config) {
        return new TopologySettings(config.inputTopic(), config.dlqTopic(), config.tokensTopic(),
                config.dedupWindow(), config.bucket(), 0, config.maxSeriesPerOrg(), config.budgetsTopic());
    }

    /** Builds and starts the streams; returns at once (state goes REBALANCING, then RUNNING). */
    public static StreamsRuntime start(AppConfig config, Map<String, ?> overrides, IngestMetrics metrics) {
        return start(config, config.advertisedAddress(), overrides, metrics);
    }

    /**
     * As {@link #start(AppConfig, Map, IngestMetrics)}, advertising {@code advertised} (the
     * customer server's address once it is bound) as {@code application.server}.
     */
    public static StreamsRuntime start(AppConfig config, AppConfig.Endpoint advertised, Map<String, ?> overrides,
                                       IngestMetrics metrics) {
        // Before Kafka is asked anything: a broken prices file stops start-up with the line it is on.
        PriceSettings prices = PriceSettings.load(config.pricesFile(), config.pricesTopic());
        Properties props = StreamsProperties.of(config, advertised, overrides);
        int orgPartitions = OrgPartitionCount.lookup(props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                config.inputTopic(), props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                new StreamsConfig(props).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        LOG.info("input and by-org topics share {} partitions{}", orgPartitions,
                orgPartitions == 0 ? ": every event takes the repartition" : "");
        Topology topology = UsageTopology.build(topologySettings(config).withOrgPartitions(orgPartitions),
                prices, metrics, props);
        PartitionWatch watch = PartitionWatch.start(props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                config.inputTopic(), orgPartitions);
        KafkaStreams streams;
        try {
            streams = new KafkaStreams(topology, props);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("stream thread failed; replacing it", error);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        RestoringPartitions restoring = new RestoringPartitions();
        Readiness readiness = new Readiness(Readiness.SETTLE, System::nanoTime, restoring::any);
        streams.setStateListener((now, before) -> {
            LOG.info("streams {} -> {}", before, now);
            readiness.stateChanged(now);
        });
        String bootstrap = props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        AbandonedTransactionFence fence = AbandonedTransactionFence.start(bootstrap, applicationId,
                new StreamsConfig(props).getProducerConfigs(applicationId + "-fence"));
        streams.setGlobalStateRestoreListener(new RestoreListeners(List.of(restoring, fence)));
        HostInfo self = new HostInfo(advertised.host(), advertised.port());
        StreamsRuntime runtime = new StreamsRuntime(streams, self, watch, restoring, readiness,
                TransactionWatch.start(bootstrap, applicationId, config.dlqTopic()), fence);
        streams.start();
        return runtime;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public HostInfo self() {
        return self;
    }

    public LocalUsageReader localReader() {
        return localReader;
    }

    /** Every org's budget, from the global {@code api-budgets-store} (the reads' {@link BudgetLookup}). */
    public BudgetLookup budgets() {
        return budgets;
    }

    /** RUNNING, and the input topic still has the partition count this instance started with. */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING && partitions.intact();
    }

    /**
     * What {@code /readyz} answers: running as above, settled after the last rebalance, and
     * restoring nothing (see {@link Readiness}).
     */
    public boolean isReady() {
        return isRunning() && readiness.settled();
    }

    /** Partitions this service writes with a hanging transaction, at the last check (see {@link TransactionWatch}). */
    public int hangingTransactions() {
        return transactions.hanging();
    }

    /** Abandoned transactions fenced since start, so that a moved task could finish restoring (see {@link AbandonedTransactionFence}). */
    public long abandonedTransactionsFenced() {
        return fence.fenced();
    }

    /** False once partitions were added to the input topic while running (see {@link PartitionWatch}). */
    public boolean inputPartitionsIntact() {
        return partitions.intact();
    }

    /**
     * How many partitions the stores have (the input topic's count at start-up): an admin read
     * must cover all of them. 0 while unknown.
     */
    public int storePartitions() {
        return partitions.partitionsAtStart();
    }

    /**
     * Commits, closes the tasks and leaves the consumer group at once, so the other instances
     * take this one's tasks over in the next rebalance (from their standby copies when there
     * are) instead of waiting a session timeout for a member that is gone. Kafka Streams
     * otherwise stays in the group on close, which suits static membership; this service does not
     * use it: a restart keeps its RocksDB state, so taking its tasks back costs one more short
     * rebalance, and nothing is unanswered while the process restarts.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        partitions.close();
        transactions.close();
        fence.close();
    }
}
