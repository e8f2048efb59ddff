package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.http.server.Request;
import id.audit.tokenid.exporter.http.server.Response;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import id.audit.tokenid.exporter.usage.UsageWire;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET|HEAD /internal/v1/usage?org=…|all=true}, called by another instance of the same
 * deployment to fetch what this one owns. It trusts the calling instance, not the network:
 * the request must carry a valid {@link InternalSecret} signature (the caller has already
 * authorised its customer, whose token never comes here), else 403 with a fixed body and a
 * count. It reads {@code localReader} only, so it never forwards (one hop at most).
 */
final class InternalUsageHandler {

    private final InternalSecret secret;
    private final UsageReader localReader;
    private final Clock clock;
    private final ExporterMetrics metrics;

    InternalUsageHandler(InternalSecret secret, UsageReader localReader, Clock clock, ExporterMetrics metrics) {
        this.secret = secret;
        this.localReader = localReader;
        this.clock = clock;
        this.metrics = metrics;
    }

    Response handle(Request request) {
        Instant now = clock.instant();
        InternalSecret.Verdict verdict = secret.verify(request.headers().all(InternalSecret.HEADER),
                request.method(), request.rawPath(), request.rawQuery(), now);
        if (verdict != InternalSecret.Verdict.VALID) {
            metrics.internalAuthFailure(verdict);
            return Response.text(403, "forbidden");
        }
        Optional<InternalUsageRequest> parsed = InternalUsageRequest.parse(request.rawQuery());
        if (parsed.isEmpty()) {
            return Response.text(400, "bad request");
        }
        Optional<String> org = parsed.get().orgId();
        UsageQuery query = org.isPresent() ? UsageQuery.forOrg(org.get(), now) : UsageQuery.allOrgs(now);
        Optional<List<OrgUsage>> orgs = VisibleUsage.read(localReader, query, anyOrg -> true);
        if (orgs.isEmpty()) {
            return HttpResponses.unavailable("usage is temporarily unavailable, retry later");
        }
        return new Response(200, UsageWire.CONTENT_TYPE, UsageWire.encode(orgs.get()));
    }
}
