package id.audit.tokenid.app.query;

import id.audit.tokenid.app.budgets.BudgetLookup;
import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.StoreNames;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads usage from this instance's own stores through Kafka Streams interactive queries: active
 * tasks only, at the isolation level the streams config sets (READ_COMMITTED with transactional
 * state stores), so a reader never sees a total that a crash could still take back. An org is
 * answered only by its owner; anything else is {@link ReadResult.Unavailable}, never a guess.
 * Once partitions were added to the input topic, every read is refused (see {@code
 * PartitionWatch}): the metadata would route orgs to partitions that do not hold them. A
 * partition whose store is being restored is refused too ({@link RestoringPartitions}), and so
 * is an answer with fewer requests than this instance answered before ({@link AnswerFloor}).
 *
 * <p>An org's read takes its series ({@code usage-totals}), its cost buckets of the last 24 h
 * ({@code usage-cost-buckets}, the last hour among them) and its quarter-hours of the month
 * ({@code usage-cost-quarter-hours}); the {@link BudgetLookup} says which zone's month and
 * whether the org has budget figures. A lookup that is not ready (throws {@link
 * InvalidStateStoreException}) makes the read unavailable, like a store that is not.
 */
public final class LocalUsageReader implements UsageReader {

    private static final QueryableStoreType<ReadOnlyKeyValueStore<Bytes, byte[]>> TOTALS =
            QueryableStoreTypes.keyValueStore();
    private static final QueryableStoreType<ReadOnlyWindowStore<Bytes, byte[]>> WINDOWS =
            QueryableStoreTypes.windowStore();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final BooleanSupplier partitionsIntact;
    private final BudgetLookup budgets;
    private final RestoringPartitions restoring;
    private final AnswerFloor floor = new AnswerFloor("owner", AnswerFloor.DEFAULT_MAX_ORGS);

    /**
     * @param partitionsIntact false once the input topic's partition count differs from the one
     *                         the stores were made with
     * @param budgets          each org's budget: its month's time zone and the budget gauges
     * @param restoring        the restore listener set on {@code streams}
     */
    public LocalUsageReader(KafkaStreams streams, HostInfo self, BooleanSupplier partitionsIntact,
                            BudgetLookup budgets, RestoringPartitions restoring) {
        this.streams = streams;
        this.self = self;
        this.partitionsIntact = partitionsIntact;
        this.budgets = budgets;
        this.restoring = restoring;
    }

    @Override
    public ReadResult read(UsageQuery query) {
        long start = System.nanoTime();
        if (!QueryableStates.answers(streams.state(), query)) {
            return new ReadResult.Unavailable("streams are " + streams.state());
        }
        if (!partitionsIntact.getAsBoolean()) {
            return new ReadResult.Unavailable("partitions were added to the input topic");
        }
        try {
            return floor.admit(query.orgId().isPresent() ? readOrg(query) : readAllLocal(query), false, start);
        } catch (InvalidStateStoreException e) {
            // Migrating, restoring or closed: answer later rather than with less.
            return new ReadResult.Unavailable("store not queryable: " + e.getMessage());
        }
    }

    private ReadResult readOrg(UsageQuery query) {
        String orgId = query.orgId().get();
        KeyQueryMetadata owner = ownerOf(streams, orgId);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return new ReadResult.Unavailable("no metadata for org yet");
        }
        if (!self.equals(owner.activeHost())) {
            return new ReadResult.Unavailable("not the owner; owner is " + owner.activeHost());
        }
        int partition = owner.partition();
        if (restoring.isRestoring(partition)) {
            return restoringUnavailable(partition);
        }
        Optional<OrgBudget> budget = budgets.budgetOf(orgId);
        Bytes org = Bytes.wrap(StoreKeys.org(orgId));
        Bytes prefix = StoreKeys.seriesPrefix(orgId);
        QueryResult<KeyValueIterator<Bytes, byte[]>> series = onlyPartition(StoreNames.TOTALS,
                RangeQuery.withRange(prefix, StoreReads.prefixEnd(prefix)), partition);
        if (series.isFailure()) {
            return unavailable(StoreNames.TOTALS, partition, series);
        }
        try (KeyValueIterator<Bytes, byte[]> seriesIt = series.getResult()) {
            QueryResult<WindowStoreIterator<byte[]>> buckets = onlyPartition(StoreNames.COST_BUCKETS,
                    WindowKeyQuery.withKeyAndWindowStartRange(org, StoreReads.windowStart(query.now()), query.now()),
                    partition);
            if (buckets.isFailure()) {
                return unavailable(StoreNames.COST_BUCKETS, partition, buckets);
            }
            try (WindowStoreIterator<byte[]> bucketsIt = buckets.getResult()) {
                QueryResult<WindowStoreIterator<byte[]>> month = onlyPartition(StoreNames.COST_QUARTER_HOURS,
                        WindowKeyQuery.withKeyAndWindowStartRange(org,
                                MonthToDate.monthStart(query.now(), MonthToDate.zoneOf(budget)), query.now()),
                        partition);
                if (month.isFailure()) {
                    return unavailable(StoreNames.COST_QUARTER_HOURS, partition, month);
                }
                try (WindowStoreIterator<byte[]> monthIt = month.getResult()) {
                    OrgUsage usage = StoreReads.org(orgId, seriesIt, bucketsIt, monthIt, query.now(), budget);
                    // A restore that began while the stores were read may have been read half-way.
                    return restoring.isRestoring(partition) ? restoringUnavailable(partition)
                            : new ReadResult.Found(List.of(usage));
                }
            }
        }
    }

    /**
     * One partition of a store through interactive queries v2, active task only
     * ({@code requireActive}). Unlike {@code KafkaStreams.store(...)}, which gives up as soon as
     * any stream thread of the instance is not RUNNING (its store provider asks every thread in
     * turn and the first one that is restoring or rebalancing throws), this asks only whether the
     * thread that runs this partition's active task is RUNNING: a task restoring on the other
     * thread no longer makes this org unavailable. Committed state only: the isolation level is
     * the streams config's (READ_COMMITTED).
     */
    private <R> QueryResult<R> onlyPartition(String store, Query<R> query, int partition) {
        StateQueryResult<R> result = streams.query(StateQueryRequest.inStore(store).withQuery(query)
                .withPartitions(Set.of(partition)).requireActive());
        QueryResult<R> one = result.getPartitionResults().get(partition);
        return one != null ? one : QueryResult.forFailure(FailureReason.NOT_PRESENT, "no result for the partition");
    }

    private static ReadResult restoringUnavailable(int partition) {
        return new ReadResult.Unavailable("partition " + partition + " is restoring");
    }

    private static ReadResult unavailable(String store, int partition, QueryResult<?> failure) {
        return new ReadResult.Unavailable("store not queryable: " + store + " partition " + partition + ": "
                + failure.getFailureReason() + " " + failure.getFailureMessage());
    }

    /**
     * Every org whose active state this instance holds (admin scrapes; the router merges and
     * checks that the instances together cover every partition). Each partition the metadata
     * says is active here is queried by number, so one that is restoring, migrating or gone
     * fails the whole read ({@link InvalidStateStoreException}, 503) instead of leaving its
     * orgs out, as a query over "all local stores" would.
     */
    private ReadResult readAllLocal(UsageQuery query) {
        List<OrgUsage> orgs = new ArrayList<>();
        Set<Integer> partitions = activePartitions(streams, self);
        if (partitions.stream().anyMatch(restoring::isRestoring)) {
            return new ReadResult.Unavailable("a partition is restoring");
        }
        for (int partition : partitions) {
            ReadOnlyKeyValueStore<Bytes, byte[]> totals = streams.store(
                    StoreQueryParameters.fromNameAndType(StoreNames.TOTALS, TOTALS).withPartition(partition));
            ReadOnlyWindowStore<Bytes, byte[]> buckets = streams.store(
                    StoreQueryParameters.fromNameAndType(StoreNames.COST_BUCKETS, WINDOWS).withPartition(partition));
            ReadOnlyWindowStore<Bytes, byte[]> quarterHours = streams.store(StoreQueryParameters
                    .fromNameAndType(StoreNames.COST_QUARTER_HOURS, WINDOWS).withPartition(partition));
            orgs.addAll(StoreReads.readAll(totals, buckets, quarterHours, query.now(), budgets));
        }
        if (partitions.stream().anyMatch(restoring::isRestoring)) {
            return new ReadResult.Unavailable("a partition is restoring");
        }
        orgs.sort(Comparator.comparing(OrgUsage::orgId));
        return new ReadResult.Found(orgs);
    }

    /** The partitions of the totals store whose active task the metadata puts on {@code host}. */
    static Set<Integer> activePartitions(KafkaStreams streams, HostInfo host) {
        Set<Integer> partitions = new TreeSet<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(StoreNames.TOTALS)) {
            if (instance.hostInfo().equals(host)) {
                instance.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
    }

    /** Where an org lives: the partition its by-org key maps to, with the topology's partitioner. */
    static KeyQueryMetadata ownerOf(KafkaStreams streams, String orgId) {
        return streams.queryMetadataForKey(StoreNames.TOTALS, StoreKeys.org(orgId), new ByteArraySerializer());
    }
}
