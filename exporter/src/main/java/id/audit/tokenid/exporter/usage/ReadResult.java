package id.audit.tokenid.exporter.usage;

import java.util.List;
import java.util.Objects;

/** The outcome of a usage read: the data, or why it cannot be answered consistently now. */
public sealed interface ReadResult {

    /**
     * The usage of the orgs asked for, sorted by org id. For a one-org query it holds exactly
     * that org, with empty series and zero rolling cost when the org has no data yet.
     */
    record Found(List<OrgUsage> orgs) implements ReadResult {
        public Found {
            orgs = List.copyOf(orgs);
        }
    }

    /**
     * The read cannot be answered consistently right now (rebalancing, owner unreachable, store
     * not ready). Served as 503 with Retry-After: never a partial or stale answer.
     *
     * @param reason a short internal reason for logs and operational metrics, never sent to
     *               the client
     */
    record Unavailable(String reason) implements ReadResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
