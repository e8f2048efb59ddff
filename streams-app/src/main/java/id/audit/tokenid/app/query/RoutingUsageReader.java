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
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import id.audit.tokenid.app.topology.StoreNames;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers any org on any instance: locally when this instance owns the org, otherwise by one
 * hop to the owner's {@code /internal/v1/usage}, which re-checks the caller's token and never
 * forwards again. Unknown or moving ownership is {@link ReadResult.Unavailable} (503), never a
 * partial answer.
 */
public final class RoutingUsageReader implements UsageReader {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final UsageReader local;
    private final RemoteUsageClient remote;
    private final ForwardListener forwards;

    public RoutingUsageReader(KafkaStreams streams, HostInfo self, UsageReader local, RemoteUsageClient remote,
                              ForwardListener forwards) {
        this.streams = streams;
        this.self = self;
        this.local = local;
        this.remote = remote;
        this.forwards = forwards;
    }

    /** Told the outcome of every forwarded read, for the operational metrics. */
    @FunctionalInterface
    public interface ForwardListener {
        void forwarded(ReadResult outcome);
    }

    @Override
    public ReadResult read(UsageQuery query) {
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

    /** Admin: every instance's orgs, merged; any instance unavailable makes the whole read so. */
    private ReadResult readAll(UsageQuery query) {
        List<OrgUsage> orgs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        var instances = streams.streamsMetadataForStore(StoreNames.TOTALS);
        if (instances.isEmpty()) {
            return new ReadResult.Unavailable("no instance holds the stores yet");
        }
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
        orgs.sort(Comparator.comparing(OrgUsage::orgId));
        return new ReadResult.Found(orgs);
    }

    private ReadResult forward(HostInfo owner, UsageQuery query) {
        ReadResult result = remote.fetch(owner.host() + ":" + owner.port(), query);
        forwards.forwarded(result);
        return result;
    }
}
