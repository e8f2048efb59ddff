package id.audit.tokenid.app.query;

import id.audit.tokenid.app.topology.StoreKeys;
import id.audit.tokenid.app.topology.StoreNames;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Reads usage from this instance's own stores through Kafka Streams interactive queries: active
 * tasks only, at the isolation level the streams config sets (READ_COMMITTED with transactional
 * state stores), so a reader never sees a total that a crash could still take back. An org is
 * answered only by its owner; anything else is {@link ReadResult.Unavailable}, never a guess.
 */
public final class LocalUsageReader implements UsageReader {

    private static final QueryableStoreType<ReadOnlyKeyValueStore<Bytes, byte[]>> TOTALS =
            QueryableStoreTypes.keyValueStore();
    private static final QueryableStoreType<ReadOnlyWindowStore<Bytes, byte[]>> BUCKETS =
            QueryableStoreTypes.windowStore();

    private final KafkaStreams streams;
    private final HostInfo self;

    public LocalUsageReader(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    @Override
    public ReadResult read(UsageQuery query) {
        if (!QueryableStates.answers(streams.state(), query)) {
            return new ReadResult.Unavailable("streams are " + streams.state());
        }
        try {
            return query.orgId().isPresent() ? readOrg(query) : readAllLocal(query);
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
        ReadOnlyKeyValueStore<Bytes, byte[]> totals = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.TOTALS, TOTALS).withPartition(partition));
        ReadOnlyWindowStore<Bytes, byte[]> buckets = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.COST_BUCKETS, BUCKETS).withPartition(partition));
        return new ReadResult.Found(List.of(StoreReads.readOrg(totals, buckets, orgId, query.now())));
    }

    /** Every org whose active state this instance holds (admin scrapes; the router merges). */
    private ReadResult readAllLocal(UsageQuery query) {
        ReadOnlyKeyValueStore<Bytes, byte[]> totals = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.TOTALS, TOTALS));
        ReadOnlyWindowStore<Bytes, byte[]> buckets = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.COST_BUCKETS, BUCKETS));
        return new ReadResult.Found(StoreReads.readAll(totals, buckets, query.now()));
    }

    /** Where an org lives: the partition its by-org key maps to, with the topology's partitioner. */
    static KeyQueryMetadata ownerOf(KafkaStreams streams, String orgId) {
        return streams.queryMetadataForKey(StoreNames.TOTALS, StoreKeys.org(orgId), new ByteArraySerializer());
    }
}
