package id.audit.tokenid.app.topology;

import id.audit.tokenid.app.budgets.BudgetStore;
import id.audit.tokenid.app.budgets.BudgetStore;
import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology: topic names, the two time settings and the series limit. Stores and internal topics
 * take their names from {@link StoreNames}, never from here, so that they stay stable.
 *
 * @param dedupWindow two events of one org with the same {@code event_id} whose event times are
 *                    at most this far apart count once; zero turns dedup off
 * @param bucket      width of the time buckets behind the rolling 24 h and 1 h costs; the
 *                    windows' edge error is at most one bucket; divides 1 hour
 * @param orgPartitions the partition count shared by the input topic and the by-org repartition
 *                    topic, which lets an event that already sits in its org's partition be
 *                    counted where it is read instead of crossing the repartition topic; 0 when
 *                    unknown or when the two counts differ, and then every event crosses it
 * @param budgetsTopic the compacted topic of org budgets, read into a global store
 * @param maxSeriesPerOrg how many (provider, model) series an org may have; the events of a
 *                    pair first seen beyond it count in the org's OVERFLOW series
 */
public record TopologySettings(String inputTopic, String dlqTopic, String tokensTopic,
                               Duration dedupWindow, Duration bucket, int orgPartitions, int maxSeriesPerOrg,
                               String budgetsTopic) {

    /** The rolling window of {@code llm_cost_usd_rolling_24h}. */
    public static final Duration ROLLING_WINDOW = Duration.ofHours(24);

    /** The rolling window of {@code llm_cost_usd_rolling_1h}, read from the same buckets. */
    public static final Duration ROLLING_HOUR = Duration.ofHours(1);

    /**
     * Width of the month-to-date buckets: every time zone offset in use is a multiple of 15
     * minutes, so the start of a month in any zone is a bucket edge and the month is exact.
     */
    public static final Duration QUARTER_HOUR = Duration.ofMinutes(15);

    /**
     * How long month-to-date buckets are kept: a 31-day month, 14 hours either side for the
     * org's zone offset, and a day to spare for skew and late scrapes.
     */
    public static final Duration QUARTER_HOUR_RETENTION = Duration.ofDays(33);

    /** {@code --max-series-per-org} when not set. */
    public static final int DEFAULT_MAX_SERIES_PER_ORG = 1000;

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
        // Dividing the hour makes both rolling windows a whole number of buckets (and so 24 h).
        if (bucket.compareTo(ROLLING_HOUR) > 0 || ROLLING_HOUR.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException("bucket must divide 1 hour, was " + bucket);
        }
        Objects.requireNonNull(budgetsTopic, "budgetsTopic");
        if (maxSeriesPerOrg < 1) {
            throw new IllegalArgumentException("maxSeriesPerOrg must be at least 1, was " + maxSeriesPerOrg);
        }
    }

    /** With the default series limit and budgets topic. */
    public TopologySettings(String inputTopic, String dlqTopic, String tokensTopic, Duration dedupWindow,
                            Duration bucket, int orgPartitions) {
        this(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, orgPartitions, DEFAULT_MAX_SERIES_PER_ORG,
                BudgetStore.DEFAULT_TOPIC);
    }

    public static TopologySettings defaults() {
        return new TopologySettings("api-calls", "api-calls.dlq", "api-tokens",
                Duration.ofHours(1), Duration.ofMinutes(1), 0);
    }

    /** The same settings, told how many partitions the input and by-org topics share. */
    public TopologySettings withOrgPartitions(int partitions) {
        return new TopologySettings(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, partitions,
                maxSeriesPerOrg, budgetsTopic);
    }

    /** The same settings with another series limit per org. */
    public TopologySettings withMaxSeriesPerOrg(int limit) {
        return new TopologySettings(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, orgPartitions, limit,
                budgetsTopic);
    }

    /** The same settings with another budgets topic. */
    public TopologySettings withBudgetsTopic(String topic) {
        return new TopologySettings(inputTopic, dlqTopic, tokensTopic, dedupWindow, bucket, orgPartitions,
                maxSeriesPerOrg, topic);
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
