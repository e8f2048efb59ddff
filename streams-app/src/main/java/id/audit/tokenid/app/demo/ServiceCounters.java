package id.audit.tokenid.app.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What the running service says it did, read from its own management {@code /metrics}
 * endpoint (the same numbers an operator's Prometheus sees), so the demo's progress line
 * reports the service's counters rather than the generator's hopes.
 */
public final class ServiceCounters {

    /** Totals since the service started. */
    public record Snapshot(long counted, long deadLettered, long duplicates) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;

    public ServiceCounters(int managementPort) {
        this.uri = URI.create("http://localhost:" + managementPort + "/metrics");
    }

    /** The counters now, or empty when the management endpoint does not answer. */
    public Optional<Snapshot> read() {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sums each counter over its labels, from Prometheus text exposition. */
    static Snapshot parse(String exposition) {
        return new Snapshot(sum(exposition, "tokenid_events_counted_total"),
                sum(exposition, "tokenid_dead_letters_total"),
                sum(exposition, "tokenid_duplicates_total"));
    }

    private static long sum(String exposition, String name) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name) && line.length() > name.length()
                    && (line.charAt(name.length()) == ' ' || line.charAt(name.length()) == '{')) {
                String rest = line.substring(name.length());
                if (rest.startsWith("{")) {
                    rest = rest.substring(rest.lastIndexOf('}') + 1);
                }
                total += Double.parseDouble(rest.trim().split("\\s+")[0]);
            }
        }
        return Math.round(total);
    }
}
