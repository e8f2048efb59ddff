package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads usage and keeps only what the caller may read and the query asked for: defence in
 * depth against a reader that answers with more. Empty when the read is unavailable, or when a
 * one-org read comes back without that org (an answer with less is never served).
 */
final class VisibleUsage {

    private static final Logger LOG = LoggerFactory.getLogger(VisibleUsage.class);

    private VisibleUsage() {
    }

    static Optional<List<OrgUsage>> read(UsageReader reader, UsageQuery query, Predicate<String> mayRead) {
        ReadResult result = reader.read(query);
        if (result instanceof ReadResult.Unavailable unavailable) {
            LOG.info("usage read unavailable: {}", unavailable.reason());
            return Optional.empty();
        }
        List<OrgUsage> visible = ((ReadResult.Found) result).orgs().stream()
                .filter(usage -> mayRead.test(usage.orgId()))
                .filter(usage -> query.orgId().map(usage.orgId()::equals).orElse(true))
                .toList();
        if (query.orgId().isPresent() && visible.size() != 1) {
            LOG.warn("usage reader answered a one-org read with {} entries for that org", visible.size());
            return Optional.empty();
        }
        return Optional.of(visible);
    }
}
