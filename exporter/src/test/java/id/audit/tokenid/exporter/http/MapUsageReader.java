package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Answers each query from an in-memory map, as a well-behaved reader does. */
final class MapUsageReader implements UsageReader {

    private final Map<String, OrgUsage> byOrg = new TreeMap<>();

    MapUsageReader(List<OrgUsage> orgs) {
        orgs.forEach(org -> byOrg.put(org.orgId(), org));
    }

    @Override
    public ReadResult read(UsageQuery query) {
        if (query.orgId().isPresent()) {
            String org = query.orgId().get();
            return new ReadResult.Found(List.of(byOrg.getOrDefault(org, new OrgUsage(org, List.of(), 0))));
        }
        return new ReadResult.Found(new ArrayList<>(byOrg.values()));
    }

    /** A reader that ignores the query and answers with every org it has. */
    UsageReader misbehaving() {
        return query -> new ReadResult.Found(new ArrayList<>(byOrg.values()));
    }
}
