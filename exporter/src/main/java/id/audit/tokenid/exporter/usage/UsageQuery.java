package id.audit.tokenid.exporter.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scrape asks for: one org's usage, or every org's (admin), as of {@code now}. It holds
 * no credential: the instance that received the scrape has authorised it, and a customer token
 * never leaves that instance (instances sign their requests to each other instead).
 *
 * @param orgId the org to read, or empty for every org (only for admin principals)
 * @param now   the wall clock at the scrape; the rolling window ends here
 */
public record UsageQuery(Optional<String> orgId, Instant now) {
    public UsageQuery {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(now, "now");
    }

    public static UsageQuery forOrg(String orgId, Instant now) {
        return new UsageQuery(Optional.of(orgId), now);
    }

    public static UsageQuery allOrgs(Instant now) {
        return new UsageQuery(Optional.empty(), now);
    }
}
