package id.audit.tokenid.app.query;

import id.audit.tokenid.exporter.http.RemoteUsageClient;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import id.audit.tokenid.app.topology.StoreNames;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers any org on any instance: locally when this instance owns the org, otherwise by one
 * hop to the owner's {@code /internal/v1/usage}, signed with the instances' shared secret (the
 * caller's token never leaves this instance, which has already authorised the read); the owner
 * never forwards again. Unknown or moving ownership is {@link ReadResult.Unavailable} (503), never a
 * partial answer; a one-org read tries again for a moment first ({@link MoveWait}). No answer
 * has fewer requests for an org than one this instance returned before
 * ({@link AnswerFloor}), whichever owner it came from.
 */
public final class RoutingUsageReader implements UsageReader {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final UsageReader local;
    private final RemoteUsageClient remote;
    private final ForwardListener forwards;
    private final IntSupplier storePartitions;
    private final MoveWait moveWait;
    private final AnswerFloor floor = new AnswerFloor("router", AnswerFloor.DEFAULT_MAX_ORGS);

    /**
     * @param storePartitions how many partitions the stores have (0 while unknown): an admin read
     *                        answers only when the instances' active partitions cover them all
     */
    public RoutingUsageReader(KafkaStreams streams, HostInfo self, UsageReader local, RemoteUsageClient remote,
                              ForwardListener forwards, IntSupplier storePartitions) {
        this.streams = streams;
        this.self = self;
        this.local = local;
        this.remote = remote;
        this.forwards = forwards;
        this.storePartitions = storePartitions;
        this.moveWait = new MoveWait(MoveWait.DEFAULT_WAIT, MoveWait.DEFAULT_MAX_WAITING,
                () -> QueryableStates.answersOneOrg(streams.state()));
    }

    /** Told the outcome of every forwarded read, for the operational metrics. */
    @FunctionalInterface
    public interface ForwardListener {
        void forwarded(ReadResult outcome);
    }

    @Override
    public ReadResult read(UsageQuery query) {
        long start = System.nanoTime();
        return floor.admit(moveWait.read(query, this::readOnce), query.orgId().isEmpty(), start);
    }

    private ReadResult readOnce(UsageQuery query) {
        if (!QueryableStates.answers(streams.state(), query)) {
            return new ReadResult.Unavailable("streams are " + streams.state());
        }
        return query.orgId().isPresent() ? readOrg(query) : readAll(query);
    }

    private ReadResult readOrg(UsageQuery query) {
        KeyQueryMetadata owner = LocalUsageReader.ownerOf(streams, query.orgId().get());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return new ReadResult.Unavailable("owner of org unknown (rebalancing)");
        }
        return self.equals(owner.activeHost()) ? local.read(query) : forward(owner.activeHost(), query);
    }

    /**
     * Admin: every instance's orgs, merged, and only when whole: the instances' active partitions
     * of the totals store must cover every partition (none is between owners, as in a rebalance),
     * each instance reads each of its partitions or fails (LocalUsageReader), any instance
     * unavailable makes the whole read so, and an assignment that changed while the parts were
     * gathered discards them. Never the orgs that happened to be found.
     */
    private ReadResult readAll(UsageQuery query) {
        List<OrgUsage> orgs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        var instances = streams.streamsMetadataForStore(StoreNames.TOTALS);
        if (instances.isEmpty()) {
            return new ReadResult.Unavailable("no instance holds the stores yet");
        }
        int partitions = storePartitions.getAsInt();
        if (partitions <= 0) {
            return new ReadResult.Unavailable("partition count of the stores not known yet");
        }
        Set<Integer> missing = uncovered(instances, partitions);
        if (!missing.isEmpty()) {
            return new ReadResult.Unavailable("no active instance for partitions " + missing);
        }
        Map<HostInfo, Set<TopicPartition>> assignment = assignment(instances);
        for (StreamsMetadata instance : instances) {
            ReadResult part = self.equals(instance.hostInfo()) ? local.read(query) : forward(instance.hostInfo(), query);
            if (!(part instanceof ReadResult.Found found)) {
                return part;
            }
            for (OrgUsage org : found.orgs()) {
                if (!seen.add(org.orgId())) {
                    return new ReadResult.Unavailable("org " + org.orgId() + " answered twice (rebalancing)");
                }
                orgs.add(org);
            }
        }
        if (!assignment.equals(assignment(streams.streamsMetadataForStore(StoreNames.TOTALS)))) {
            return new ReadResult.Unavailable("partitions moved during the read (rebalancing)");
        }
        orgs.sort(Comparator.comparing(OrgUsage::orgId));
        return new ReadResult.Found(orgs);
    }

    /** The partitions 0..count-1 that no instance holds actively. */
    static Set<Integer> uncovered(Iterable<StreamsMetadata> instances, int count) {
        Set<Integer> missing = new TreeSet<>();
        for (int p = 0; p < count; p++) {
            missing.add(p);
        }
        for (StreamsMetadata instance : instances) {
            instance.topicPartitions().forEach(tp -> missing.remove(tp.partition()));
        }
        return missing;
    }

    private static Map<HostInfo, Set<TopicPartition>> assignment(Iterable<StreamsMetadata> instances) {
        Map<HostInfo, Set<TopicPartition>> byHost = new java.util.HashMap<>();
        for (StreamsMetadata instance : instances) {
            byHost.put(instance.hostInfo(), Set.copyOf(instance.topicPartitions()));
        }
        return byHost;
    }

    private ReadResult forward(HostInfo owner, UsageQuery query) {
        ReadResult result = remote.fetch(owner.host() + ":" + owner.port(), query);
        forwards.forwarded(result);
        return result;
    }
}
