package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.Role;
import id.audit.tokenid.exporter.exposition.ExpositionEncoder;
import id.audit.tokenid.exporter.exposition.MetricsExposition;
import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET|HEAD /metrics} for an authenticated principal: its org's metrics (every org's for
 * an admin), read through a reader that may fetch from the owning instance, in the format and
 * encoding the scraper asks for; 503 with {@code Retry-After} when usage cannot be read
 * consistently.
 */
final class ScrapeHandler {

    private final UsageReader usageReader;
    private final Clock clock;
    private final ExporterMetrics metrics;
    private final ExpositionEncoder encoder = new ExpositionEncoder();

    ScrapeHandler(UsageReader usageReader, Clock clock, ExporterMetrics metrics) {
        this.usageReader = usageReader;
        this.clock = clock;
        this.metrics = metrics;
    }

    Response scrape(Request request, Principal principal) {
        Instant now = clock.instant();
        UsageQuery query = principal.role() == Role.ADMIN
                ? UsageQuery.allOrgs(now)
                : UsageQuery.forOrg(principal.orgId().get(), now);
        Optional<List<OrgUsage>> orgs = VisibleUsage.read(usageReader, query, principal::mayRead);
        if (orgs.isEmpty()) {
            metrics.scrapeUnavailable();
            return HttpResponses.unavailable("usage is temporarily unavailable, retry later");
        }
        ExpositionEncoder.Encoded encoded = encoder.encode(MetricsExposition.snapshots(orgs.get()),
                request.headers().first("Accept"), nullIfEmpty(request.headers().all("Accept-Encoding")));
        Response response = new Response(200, encoded.contentType(), encoded.body())
                .header("Vary", "Accept, Accept-Encoding");
        encoded.contentEncoding().ifPresent(coding -> response.header("Content-Encoding", coding));
        return response;
    }

    static List<String> nullIfEmpty(List<String> values) {
        return values.isEmpty() ? null : values;
    }
}
