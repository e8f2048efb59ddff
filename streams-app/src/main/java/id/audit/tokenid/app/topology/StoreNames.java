package id.audit.tokenid.app.topology;

/**
 * Names of everything the topology persists. They become changelog and repartition topic
 * names ({@code <application.id>-<name>-changelog}), so changing one orphans its state.
 */
public final class StoreNames {
    /**
     * Per (org, provider, model): requests, unpriced requests, input, output, cached input, cache
     * write input and reasoning tokens, cost nano-dollars; an org's pairs beyond its series limit
     * under the (OVERFLOW, OVERFLOW) key.
     */
    public static final String TOTALS = "usage-totals";
    /** Per org and time bucket: cost nano-dollars, for the rolling 24 h and 1 h gauges. */
    public static final String COST_BUCKETS = "usage-cost-buckets";
    /** Per org and 15-minute event-time bucket: cost nano-dollars, for the month to date. */
    public static final String COST_QUARTER_HOURS = "usage-cost-quarter-hours";
    /** Per arrival bucket: chunks of (org, event_id, first event time), for dedup (SeenEventIds). */
    public static final String SEEN_EVENT_IDS = "seen-event-id-chunks";
    /**
     * Per arrival bucket: fingerprint to chunk numbers of the ids in {@link #SEEN_EVENT_IDS}, on
     * disk (RocksDbSeenIdIndex); no changelog, rebuilt from the chunks whenever a task starts.
     */
    public static final String SEEN_EVENT_ID_INDEX = "seen-event-id-index";
    /** Hold nothing and have no changelog: tell the aggregation and the parse step when their task commits (CommitHooks). */
    public static final String COMMIT_HOOK = "commit-hook";
    public static final String PARSE_COMMIT_HOOK = "parse-commit-hook";
    /** By-org batches still gathered at a commit, kept in its transaction until the next one sends them (ParseProcessor). */
    public static final String BY_ORG_KEPT = "by-org-kept";
    /** Repartition by org: one org's state lives in one task. */
    public static final String BY_ORG = "by-org";

    private StoreNames() {
    }
}
