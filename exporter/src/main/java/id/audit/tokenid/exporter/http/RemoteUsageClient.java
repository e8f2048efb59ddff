package id.audit.tokenid.exporter.http;

import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageWire;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Fetches usage from the instance that owns it, through that instance's
 * {@code /internal/v1/usage}, signed with the {@link InternalSecret} the instances share. The
 * customer's token never leaves the instance it was sent to: that instance has authorised the
 * read, and the request names only the org (or {@code all=true} for an admin). One request to the one address given: no retry elsewhere, no
 * redirects. Every failure (HTTP status other than 200, timeout, connection refused, a body
 * that does not decode, an answer for other orgs) is {@link ReadResult.Unavailable}.
 *
 * <p>So is an answer in an older {@link UsageWire} version (an owner of the previous release,
 * during a rolling deploy): it lacks the 1 h and month-to-date cost and the budget, and
 * serving them as 0 or absent would be a wrong number, so the scrape gets 503 and
 * {@code Retry-After} until the owner is upgraded, as it would during a rebalance.
 */
public final class RemoteUsageClient {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Duration requestTimeout;
    private final InternalSecret secret;
    private final Clock clock;

    public RemoteUsageClient(Duration connectTimeout, Duration requestTimeout, InternalSecret secret, Clock clock) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // our server speaks HTTP/1.1 only
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Connect and request timeouts of 2 s each, the system clock. */
    public static RemoteUsageClient withDefaults(InternalSecret secret) {
        return new RemoteUsageClient(DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, secret, Clock.systemUTC());
    }

    /**
     * @param hostPort the owner's advertised {@code host:port} (Kafka Streams' HostInfo)
     */
    public ReadResult fetch(String hostPort, UsageQuery query) {
        HttpRequest request;
        String rawQuery = InternalUsageRequest.query(query.orgId());
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + hostPort
                            + MetricsServer.INTERNAL_USAGE_PATH + "?" + rawQuery))
                    .timeout(requestTimeout)
                    .header(InternalSecret.HEADER,
                            secret.sign("GET", MetricsServer.INTERNAL_USAGE_PATH, rawQuery, clock.instant()))
                    .header("Accept", UsageWire.CONTENT_TYPE)
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            return new ReadResult.Unavailable("bad owner address: " + e.getClass().getSimpleName());
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return new ReadResult.Unavailable("owner " + hostPort + " answered HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(UsageWire.MAX_BYTES + 1);
                UsageWire.Decoded decoded = UsageWire.decodeVersioned(bytes);
                if (decoded.version() != UsageWire.VERSION) {
                    return new ReadResult.Unavailable("owner " + hostPort + " answered usage wire version "
                            + decoded.version() + " (an older release): mixed-version deploy");
                }
                return checked(hostPort, query, decoded.orgs());
            }
        } catch (HttpTimeoutException e) {
            return new ReadResult.Unavailable("owner " + hostPort + " timed out");
        } catch (IOException e) {
            return new ReadResult.Unavailable("owner " + hostPort + " unreachable: " + e.getClass().getSimpleName());
        } catch (UsageWire.MalformedUsageException e) {
            return new ReadResult.Unavailable("owner " + hostPort + " sent malformed usage: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReadResult.Unavailable("interrupted while asking owner " + hostPort);
        }
    }

    private static ReadResult checked(String hostPort, UsageQuery query, List<OrgUsage> orgs) {
        if (query.orgId().isPresent()
                && (orgs.size() != 1 || !orgs.get(0).orgId().equals(query.orgId().get()))) {
            return new ReadResult.Unavailable("owner " + hostPort + " answered for other orgs");
        }
        return new ReadResult.Found(orgs);
    }
}
