package id.audit.tokenid.app.demo;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Optional;

/** The text the demo prints: what is running, the tokens, how to scrape it, and progress. */
public final class DemoBanner {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private DemoBanner() {
    }

    /** Where everything runs, for {@link #ready}. */
    public record Setup(String bootstrapServers, String inputTopic, String dlqTopic, String tokensTopic,
                        int httpPort, int managementPort, String dataDir, boolean dataDeletedOnExit,
                        String tokensFile, Optional<Double> trafficRate) {
    }

    /** The curl line that scrapes the demo org's metrics. */
    public static String curlLine(String token, int httpPort) {
        return "curl -H \"Authorization: Bearer " + token + "\" " + metricsUrl(httpPort);
    }

    public static String metricsUrl(int httpPort) {
        return "http://localhost:" + httpPort + "/metrics";
    }

    public static String ready(Setup setup, DemoTokens tokens) {
        String traffic = setup.trafficRate()
                .map(rate -> "~" + formatRate(rate) + " events/s into " + setup.inputTopic()
                        + " (orgs " + String.join(", ", new LinkedHashSet<>(SampleTraffic.ORGS))
                        + "; mixed-case names; ~5% without model; ~2% bad records)")
                .orElse("off (--no-traffic); produce api_call events to " + setup.inputTopic() + " yourself");
        return String.join("\n",
                "",
                "TokenID metrics demo is running.",
                "  Kafka (embedded broker, KRaft): " + setup.bootstrapServers()
                        + "   topics: " + setup.inputTopic() + ", " + setup.dlqTopic() + ", " + setup.tokensTopic(),
                "  Customer endpoint:              " + metricsUrl(setup.httpPort()) + "   (Bearer token)",
                "  Management endpoint:            http://localhost:" + setup.managementPort() + "/metrics   /healthz   /readyz",
                "  Tokens file:                    " + setup.tokensFile(),
                "  Data:                           " + setup.dataDir()
                        + (setup.dataDeletedOnExit() ? "   (deleted on exit)" : "   (kept)"),
                "  Sample traffic:                 " + traffic,
                "",
                "Demo token for org \"" + DemoTokens.DEMO_ORG + "\" (shown once):",
                "  " + tokens.orgToken(),
                "Admin token (reads every org):",
                "  " + tokens.adminToken(),
                "",
                "Scrape it:",
                "  " + curlLine(tokens.orgToken(), setup.httpPort()),
                "",
                "prometheus.yml:",
                "  scrape_configs:",
                "    - job_name: tokenid",
                "      metrics_path: /metrics",
                "      scheme: http",
                "      static_configs:",
                "        - targets: ['localhost:" + setup.httpPort() + "']",
                "      authorization:",
                "        type: Bearer",
                "        credentials: '" + tokens.orgToken() + "'",
                "      scrape_interval: 60s",
                "",
                "Progress every 5 s below. Ctrl-C stops everything.",
                "");
    }

    /** One line: what the generator produced and what the service says it counted. */
    public static String progress(LocalTime now, long produced, long producedBad, long failed, boolean trafficOn,
                                  Optional<ServiceCounters.Snapshot> service) {
        StringBuilder line = new StringBuilder("[").append(CLOCK.format(now)).append("] ");
        if (trafficOn) {
            line.append("produced ").append(produced).append(" events (").append(producedBad).append(" bad)");
            if (failed > 0) {
                line.append(", ").append(failed).append(" not delivered");
            }
        } else {
            line.append("demo traffic off");
        }
        service.ifPresentOrElse(
                counters -> line.append(" | counted ").append(counters.counted())
                        .append(" | dead-lettered ").append(counters.deadLettered())
                        .append(" | duplicates ").append(counters.duplicates()),
                () -> line.append(" | service counters unavailable (management endpoint not answering)"));
        return line.toString();
    }

    /** What {@code demo --traffic-only} does. */
    public static String trafficOnly(double rate, String topic, String bootstrapServers) {
        return "Producing ~" + formatRate(rate) + " sample api_call events/s to " + topic + " on " + bootstrapServers
                + ". Ctrl-C stops.";
    }

    /** The line of {@code demo --traffic-only}, where there is no service of ours to ask. */
    public static String trafficOnlyProgress(LocalTime now, long produced, long producedBad, long failed) {
        return "[" + CLOCK.format(now) + "] produced " + produced + " events (" + producedBad + " bad)"
                + (failed > 0 ? ", " + failed + " not delivered" : "");
    }

    static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
