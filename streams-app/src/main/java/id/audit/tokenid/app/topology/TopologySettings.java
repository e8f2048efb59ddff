package id.audit.tokenid.app.topology;

import id.audit.tokenid.app.budgets.BudgetStore;
import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology: topic names and the two time settings. Stores and internal topics
 * take their names from {@link StoreNames}, never from here, so that they stay stable.
 *
 * @param dedupWindow two events of one org with the same {@code event_id} whose event times are
 *                    at most this far apart count once; zero turns dedup off
 * @param bucket      width of the time buckets behind the rolling 24 h cost; the window's edge
 *                    error is at most one bucket
 * @param orgPartitions the partition count shared by the input topic and the by-org repartition
 *                    topic, which lets an event that already sits in its org's partition be
 *                    counted where it is read instead of crossing the repartition topic; 0 when
 *                    unknown or when the two counts differ, and then every event crosses it
 * @param budgetsTopic the compacted topic of org budgets, read into a global store
 */
public record TopologySettings(String inputTopic, String dlqTopic, String tokensTopic,
                               Duration dedupWindow, Duration bucket, int orgPartitions, String budgetsTopic) {

    /** With the default budgets topic ({@value BudgetStore#DEFAULT_TOPIC}). */
    public TopologySettings(String inputTopic, String dlqTopic, String tokensTopic,
                            Duration dedupWindow, Duration bucket, int orgPartitions) {
        this(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, orgPartitions, BudgetStore.DEFAULT_TOPIC);
    }

    /** The rolling window of {@code llm_cost_usd_rolling_24h}. */
    public static final Duration ROLLING_WINDOW = Duration.ofHours(24);

    /** Event times further than this in the future are treated as "now" (SPEC §2). */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);

    public TopologySettings {
        Objects.requireNonNull(inputTopic, "inputTopic");
        Objects.requireNonNull(dlqTopic, "dlqTopic");
        Objects.requireNonNull(tokensTopic, "tokensTopic");
        Objects.requireNonNull(budgetsTopic, "budgetsTopic");
        Objects.requireNonNull(dedupWindow, "dedup window");
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("dedup window must not be negative, was " + dedupWindow);
        }
        requirePositive(bucket, "bucket");
        if (orgPartitions < 0) {
            throw new IllegalArgumentException("orgPartitions must not be negative, was " + orgPartitions);
        }
        if (bucket.compareTo(Duration.ofHours(1)) > 0 || ROLLING_WINDOW.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("bucket must divide 24 hours and be at most 1 hour, was " + bucket);
        }
    }

    public static TopologySettings defaults() {
        return new TopologySettings("api-calls", "api-calls.dlq", "api-tokens",
                Duration.ofHours(1), Duration.ofMinutes(1), 0);
    }

    /** The same settings, told how many partitions the input and by-org topics share. */
    public TopologySettings withOrgPartitions(int partitions) {
        return new TopologySettings(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, partitions, budgetsTopic);
    }

    /**
     * How long cost buckets are kept: the window, one bucket for its ragged edge, and the
     * future skew, so that every bucket a scrape can need is still there.
     */
    public Duration costBucketRetention() {
        return ROLLING_WINDOW.plus(bucket).plus(MAX_FUTURE_SKEW);
    }

    /**
     * How long seen event ids are kept: two windows of arrival (wall-clock) time. A repeat is
     * dropped when its event time is within the window of the first copy's AND it arrives within
     * one window of it (up to two, depending on where the arrival buckets fall). Arrival time,
     * not event time, bounds the store: a replayed backlog interleaves partitions whose event
     * times are hours apart, and an event-time bound would forget the ids of lagging partitions
     * and count their repeats twice.
     */
    public Duration dedupRetention() {
        return dedupWindow.multipliedBy(2);
    }

    public boolean dedupEnabled() {
        return !dedupWindow.isZero();
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
    }
}
