package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the rolling window's edge error instead of avoiding it (README, SPEC §2): events at
 * known event times around the 24 h edge, and a scrape clock that moves across it. Each event
 * costs a different power of two, so a rolling value tells exactly which events it holds.
 */
class RollingWindowEdgeTest {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration BUCKET = Duration.ofMinutes(1);
    /** A bucket boundary (bucket starts are multiples of the bucket since the epoch). */
    private static final Instant B0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant B1 = B0.plus(BUCKET);
    private static final long USD = 1_000_000_000L;

    /** Event times: both sides of two bucket boundaries, bucket starts and last milliseconds. */
    private static final List<Instant> EVENT_TIMES = List.of(
            B0.minusMillis(1), B0, B0.plusSeconds(30), B1.minusMillis(1),
            B1, B1.plusSeconds(30), B1.plus(BUCKET).minusMillis(1), B1.plus(BUCKET));

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rollingValueIsOffByAtMostOneBucketAtTheEdgeAndCountsExactlyTheBucketsStartingInTheWindow() {
        // Given events 1, 2, 4, ... USD at known times around B0 and B1, read 24 h later
        Instant wallClock = B0.plus(WINDOW);
        fixture = new TopologyFixture(TopologySettings.defaults(), wallClock, stateDir);
        assertThat(fixture.settings.bucket()).isEqualTo(BUCKET);
        for (int i = 0; i < EVENT_TIMES.size(); i++) {
            fixture.send(apiCall("acme").cost(Long.toString(1L << i)).at(EVENT_TIMES.get(i)).json());
        }
        fixture.advanceWallClock(Duration.ofSeconds(2)); // a commit: the buckets are written

        int scrapes = 0;
        for (Instant now : scrapeTimes()) {
            // When the rolling value is read with this scrape time
            long rolling = fixture.usage("acme", now).rolling24hCostNanos().longValueExact();
            scrapes++;

            // Then it holds exactly the events whose bucket starts in (now - 24 h, now] ...
            assertThat(rolling % USD).isZero();
            TreeSet<Integer> held = eventsIn(rolling / USD);
            assertThat(held).as("events held at now = %s", now).isEqualTo(bucketRule(now));
            // ... which differs from the exact window (now - 24 h, now] only by events less than
            // one bucket from its edge.
            TreeSet<Integer> exact = exactWindow(now);
            for (int i = 0; i < EVENT_TIMES.size(); i++) {
                if (held.contains(i) != exact.contains(i)) {
                    Duration fromEdge = Duration.between(now.minus(WINDOW), EVENT_TIMES.get(i)).abs();
                    assertThat(fromEdge).as("event at %s, scrape at %s", EVENT_TIMES.get(i), now)
                            .isLessThan(BUCKET);
                }
            }
        }
        // The walk crossed the edge: every event was in and then out of the window.
        assertThat(scrapes).isGreaterThan(EVENT_TIMES.size() * 4);
        assertThat(eventsIn(fixture.usage("acme", scrapeTimes().first()).rolling24hCostNanos().longValueExact() / USD))
                .hasSize(EVENT_TIMES.size());
        assertThat(fixture.usage("acme", scrapeTimes().last()).rolling24hCostNanos()).isEqualByComparingTo(java.math.BigInteger.ZERO);
    }

    @Test
    void anEventLeavesTheWindowWithItsBucketNotAtItsOwnTime() {
        // Given one event in the middle of a bucket
        fixture = new TopologyFixture(TopologySettings.defaults(), B0.plus(WINDOW), stateDir);
        fixture.send(apiCall("acme").cost("1").at(B0.plusSeconds(30)).json());
        fixture.advanceWallClock(Duration.ofSeconds(2));

        // Then it counts while its bucket's start is in the window, and leaves 30 s before the
        // exact window would drop it: an error of less than one bucket, on the low side.
        assertThat(fixture.usage("acme", B0.plus(WINDOW).minusMillis(1)).rolling24hCostNanos()).isEqualTo(USD);
        assertThat(fixture.usage("acme", B0.plus(WINDOW)).rolling24hCostNanos()).isZero();
        assertThat(fixture.usage("acme", B0.plus(WINDOW).plusSeconds(29)).rolling24hCostNanos()).isZero();
    }

    /** Scrape times every 500 ms across both edges, plus each event's edge and its neighbours. */
    private static TreeSet<Instant> scrapeTimes() {
        TreeSet<Instant> times = new TreeSet<>();
        Instant from = EVENT_TIMES.get(0).plus(WINDOW).minus(BUCKET);
        Instant to = EVENT_TIMES.get(EVENT_TIMES.size() - 1).plus(WINDOW).plus(BUCKET);
        for (Instant t = from; !t.isAfter(to); t = t.plusMillis(500)) {
            times.add(t);
        }
        for (Instant event : EVENT_TIMES) {
            Instant edge = event.plus(WINDOW);
            times.addAll(List.of(edge.minusMillis(1), edge, edge.plusMillis(1)));
        }
        return times;
    }

    /** The README's rule, computed here: a bucket counts when its start is in (now - 24 h, now]. */
    private static TreeSet<Integer> bucketRule(Instant now) {
        TreeSet<Integer> in = new TreeSet<>();
        long bucketMillis = BUCKET.toMillis();
        for (int i = 0; i < EVENT_TIMES.size(); i++) {
            Instant start = Instant.ofEpochMilli(Math.floorDiv(EVENT_TIMES.get(i).toEpochMilli(), bucketMillis)
                    * bucketMillis);
            if (start.isAfter(now.minus(WINDOW)) && !start.isAfter(now)) {
                in.add(i);
            }
        }
        return in;
    }

    /** The exact window of SPEC §2: event time in (now - 24 h, now]. */
    private static TreeSet<Integer> exactWindow(Instant now) {
        TreeSet<Integer> in = new TreeSet<>();
        for (int i = 0; i < EVENT_TIMES.size(); i++) {
            Instant t = EVENT_TIMES.get(i);
            if (t.isAfter(now.minus(WINDOW)) && !t.isAfter(now)) {
                in.add(i);
            }
        }
        return in;
    }

    /** The events (indexes) whose costs 2^i add up to this many USD. */
    private static TreeSet<Integer> eventsIn(long usd) {
        TreeSet<Integer> events = new TreeSet<>();
        for (int i = 0; i < 63; i++) {
            if ((usd & (1L << i)) != 0) {
                events.add(i);
            }
        }
        return events;
    }
}
