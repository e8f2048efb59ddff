package id.audit.tokenid.exporter.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scrape asks for: one org's usage, or every org's (admin), as of {@code now}.
 *
 * @param orgId           the org to read, or empty for every org (only for admin principals)
 * @param now             the wall clock at the scrape; the rolling window ends here
 * @param bearerToken     the caller's raw token, passed on only so that an owning instance
 *                        that serves a forwarded read re-checks authorisation itself; never
 *                        logged, never stored
 */
public record UsageQuery(Optional<String> orgId, Instant now, String bearerToken) {
    public UsageQuery {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(bearerToken, "bearerToken");
    }

    public static UsageQuery forOrg(String orgId, Instant now, String bearerToken) {
        return new UsageQuery(Optional.of(orgId), now, bearerToken);
    }

    public static UsageQuery allOrgs(Instant now, String bearerToken) {
        return new UsageQuery(Optional.empty(), now, bearerToken);
    }

    @Override
    public String toString() {
        return "UsageQuery[orgId=" + orgId + ", now=" + now + ", bearerToken=<redacted>]";
    }
}
