package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.OrgUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling 1 h cost at its edge, measured as {@link RollingWindowEdgeTest} measures the 24 h
 * one: events at known times around two bucket edges, each costing a different power of two, and
 * a scrape clock that walks across the hour's edge.
 */
class RollingHourEdgeTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration BUCKET = Duration.ofMinutes(1);
    private static final Instant B0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant B1 = B0.plus(BUCKET);
    private static final long USD = 1_000_000_000L;
    private static final List<Instant> EVENT_TIMES = List.of(
            B0.minusMillis(1), B0, B0.plusSeconds(30), B1.minusMillis(1), B1, B1.plusSeconds(30));

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
    void hourHoldsExactlyTheBucketsStartingInTheLastHourAndMissesAtMostOneBucketAtItsEdge() {
        // given
        fixture = new TopologyFixture(TopologySettings.defaults(), B1.plus(BUCKET), stateDir);
        for (int i = 0; i < EVENT_TIMES.size(); i++) {
            fixture.send(apiCall("acme").cost(Long.toString(1L << i)).at(EVENT_TIMES.get(i)).json());
        }

        int scrapes = 0;
        Instant from = EVENT_TIMES.get(0).plus(HOUR).minus(BUCKET);
        Instant to = EVENT_TIMES.get(EVENT_TIMES.size() - 1).plus(HOUR).plus(BUCKET);
        for (Instant now = from; !now.isAfter(to); now = now.plusMillis(250)) {
            // when
            OrgUsage usage = fixture.usage("acme", now);
            long hour = usage.rolling1hCostNanos().longValueExact();
            scrapes++;

            // then
            assertThat(hour % USD).isZero();
            TreeSet<Integer> held = eventsIn(hour / USD);
            assertThat(held).as("events held at %s", now).isEqualTo(bucketRule(now));
            for (int i = 0; i < EVENT_TIMES.size(); i++) {
                Instant t = EVENT_TIMES.get(i);
                boolean exact = t.isAfter(now.minus(HOUR)) && !t.isAfter(now);
                if (held.contains(i) != exact) {
                    assertThat(Duration.between(now.minus(HOUR), t).abs()).isLessThan(BUCKET);
                }
            }
            // The hour is part of the day.
            assertThat(eventsIn(usage.rolling24hCostNanos().longValueExact() / USD)).containsAll(held);
        }
        assertThat(scrapes).isGreaterThan(EVENT_TIMES.size() * 4);
        assertThat(eventsIn(fixture.usage("acme", from).rolling1hCostNanos().longValueExact() / USD))
                .hasSize(EVENT_TIMES.size());
        assertThat(fixture.usage("acme", to).rolling1hCostNanos()).isZero();
        assertThat(fixture.usage("acme", to).rolling24hCostNanos()).isEqualTo(((1L << EVENT_TIMES.size()) - 1) * USD);
    }

    @Test
    void anEventLeavesTheHourWithItsBucket() {
        // given one event in the middle of a bucket
        fixture = new TopologyFixture(TopologySettings.defaults(), B1, stateDir);
        fixture.send(apiCall("acme").cost("1").at(B0.plusSeconds(30)).json());

        // then it counts while its bucket's start is in (now - 1 h, now]
        assertThat(fixture.usage("acme", B0.minusMillis(1)).rolling1hCostNanos()).isZero();
        assertThat(fixture.usage("acme", B0).rolling1hCostNanos()).isEqualTo(USD);
        assertThat(fixture.usage("acme", B0.plus(HOUR).minusMillis(1)).rolling1hCostNanos()).isEqualTo(USD);
        assertThat(fixture.usage("acme", B0.plus(HOUR)).rolling1hCostNanos()).isZero();
        assertThat(fixture.usage("acme", B0.plus(HOUR)).rolling24hCostNanos()).isEqualTo(USD);
    }

    /** A bucket counts when its start is in (now - 1 h, now]. */
    private static TreeSet<Integer> bucketRule(Instant now) {
        TreeSet<Integer> in = new TreeSet<>();
        long bucketMillis = BUCKET.toMillis();
        for (int i = 0; i < EVENT_TIMES.size(); i++) {
            Instant start = Instant.ofEpochMilli(Math.floorDiv(EVENT_TIMES.get(i).toEpochMilli(), bucketMillis)
                    * bucketMillis);
            if (start.isAfter(now.minus(HOUR)) && !start.isAfter(now)) {
                in.add(i);
            }
        }
        return in;
    }

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
