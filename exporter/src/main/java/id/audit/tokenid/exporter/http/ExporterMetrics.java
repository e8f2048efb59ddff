package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.usage.ReadResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/**
 * The exporter's own health metrics, for the management port only (SPEC §4): never mixed into
 * the customer-facing {@code /metrics}.
 */
public final class ExporterMetrics {

    /** Why a request was refused: 401, or 503 for {@link #NOT_READY}. */
    public enum AuthFailure {
        /** No {@code Authorization} header. */
        MISSING,
        /** An {@code Authorization} header without a usable bearer token. */
        MALFORMED,
        /** A well-formed token that no lookup knows (never issued, or revoked). */
        UNKNOWN,
        /** Not known yet and a token source still loading: answered 503, never 401. */
        NOT_READY;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Histogram scrapeDuration;
    private final Counter authFailures;
    private final Counter forwardedScrapes;
    private final Counter scrapesUnavailable;
    private final Counter internalAuthFailures;

    private ExporterMetrics(PrometheusRegistry registry) {
        scrapeDuration = Histogram.builder()
                .name("tokenid_scrape_duration_seconds")
                .help("Time to answer a customer scrape of /metrics, by HTTP status code.")
                .unit(Unit.SECONDS)
                .labelNames("code")
                .classicOnly()
                .register(registry);
        authFailures = Counter.builder()
                .name("tokenid_auth_failures_total")
                .help("Requests refused by bearer auth, by reason: missing, malformed or unknown token"
                        + " (401), or not_ready (503 while a token source is loading).")
                .labelNames("reason")
                .register(registry);
        forwardedScrapes = Counter.builder()
                .name("tokenid_forwarded_scrapes_total")
                .help("Usage reads forwarded to the instance that owns the org, by outcome.")
                .labelNames("outcome")
                .register(registry);
        scrapesUnavailable = Counter.builder()
                .name("tokenid_scrapes_unavailable_total")
                .help("Customer scrapes answered 503 because usage could not be read consistently.")
                .register(registry);
        internalAuthFailures = Counter.builder()
                .name("tokenid_internal_auth_failures_total")
                .help("Requests to /internal/ refused for want of a valid instance signature, by reason.")
                .labelNames("reason")
                .register(registry);
        for (InternalSecret.Verdict verdict : InternalSecret.Verdict.values()) {
            if (verdict != InternalSecret.Verdict.VALID) {
                internalAuthFailures.labelValues(verdict.label());
            }
        }
        for (AuthFailure reason : AuthFailure.values()) {
            authFailures.labelValues(reason.label());
        }
        forwardedScrapes.labelValues("found");
        forwardedScrapes.labelValues("unavailable");
    }

    /** Creates the metrics and registers them in {@code registry} (once per registry). */
    public static ExporterMetrics register(PrometheusRegistry registry) {
        return new ExporterMetrics(registry);
    }

    /** Metrics registered nowhere: for tests and setups without a management port. */
    public static ExporterMetrics unregistered() {
        return new ExporterMetrics(new PrometheusRegistry());
    }

    /** Counts a read forwarded to another instance: {@code found} or {@code unavailable}. */
    public void forwardedScrape(ReadResult result) {
        forwardedScrapes.labelValues(result instanceof ReadResult.Found ? "found" : "unavailable").inc();
    }

    void scrapeAnswered(int statusCode, long elapsedNanos) {
        scrapeDuration.labelValues(Integer.toString(statusCode)).observe(elapsedNanos / 1e9);
    }

    void authFailure(AuthFailure reason) {
        authFailures.labelValues(reason.label()).inc();
    }

    void internalAuthFailure(InternalSecret.Verdict verdict) {
        internalAuthFailures.labelValues(verdict.label()).inc();
    }

    void scrapeUnavailable() {
        scrapesUnavailable.inc();
    }
}
