package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallEvent;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token parts (cached input, cache write input, reasoning) and unpriced events, summed per
 * series through the whole topology. The provider and model are made up, so that no shipped
 * price-table row prices the events sent without a cost.
 */
class TokenPartsAndUnpricedTest {

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final String PROVIDER = "inhouse";
    private static final String MODEL = "no-price-row-7";

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
    void sumsTheTokenPartsOfEverySeriesAndCountsEventsWithoutACostAsUnpriced() {
        // given
        fixture = new TopologyFixture(TopologySettings.defaults(), START, stateDir);

        // when
        fixture.send(apiCall("acme").provider(PROVIDER).model(MODEL).tokens(1000, 300).parts(600, 100, 250)
                .cost("0.5").json());
        fixture.send(apiCall("acme").provider(PROVIDER).model(MODEL).tokens(10, 20).parts(1, 2, 3).json());
        fixture.send(apiCall("acme").provider(PROVIDER).model(MODEL).tokens(5, 5).json());
        fixture.send(apiCall("acme").provider(PROVIDER).model(MODEL).tokens(1, 1).cost("0").json());
        fixture.send(apiCall("acme").provider(PROVIDER).model("other").tokens(7, 0).parts(7, 0, 0).json());
        fixture.send(apiCall("acme").tokens(9, 9).json()); // no series: counts nowhere but as an event

        // then
        OrgUsage acme = fixture.usage("acme");
        assertThat(acme.series()).containsExactly(
                new ModelUsage(PROVIDER, MODEL, 4, big(1016), big(326), big(601), big(102), big(253),
                        big(500_000_000L), 2),
                new ModelUsage(PROVIDER, "other", 1, big(7), big(0), big(7), big(0), big(0), big(0), 1));
        assertThat(acme.rolling24hCostNanos()).isEqualTo(500_000_000L);
        assertThat(acme.monthToDateCostNanos()).isEqualTo(500_000_000L);
        assertThat(fixture.metrics.counted).hasValue(6);
        assertThat(fixture.dlq.isEmpty()).isTrue();
    }

    @Test
    void countsTheSameWhenTheEventsCrossTheByOrgTopicInOneBatch() {
        // given: the parse step of another task sent three events in one record
        fixture = new TopologyFixture(TopologySettings.defaults(), START, stateDir);
        CountedBatch batch = new CountedBatch();
        batch.add(CountedEventSerde.encode(new ApiCallEvent("a", "acme", PROVIDER, MODEL, 100, 40, 50, 25, 30,
                0, false, START.toEpochMilli())));
        batch.add(CountedEventSerde.encode(new ApiCallEvent("b", "acme", PROVIDER, MODEL, 10, 4, 0, 0, 0,
                3, true, START.toEpochMilli())));
        // as the build before issue 11 wrote them: version 1, a cost, no parts
        batch.add(CountedEventSerdeTest.versionOne("c", "acme", PROVIDER, MODEL, 1, 2, 5, START.toEpochMilli()));

        // when
        fixture.sendByOrg(batch.take(CountedBatch.BY_KEY));

        // then
        assertThat(fixture.usage("acme").series()).containsExactly(new ModelUsage(PROVIDER, MODEL, 3, big(111),
                big(46), big(50), big(25), big(30), big(8), 1));
    }

    @Test
    void readsTotalsStoredTheWaysOfBeforeAndAddsTheNewPartsToThem() {
        // given: two series as earlier builds stored them: four longs (32 bytes), and requests with
        // three (high, low) pairs (56 bytes)
        fixture = new TopologyFixture(TopologySettings.defaults(), START, stateDir);
        KeyValueStore<Bytes, byte[]> totals = fixture.driver.getKeyValueStore(StoreNames.TOTALS);
        Bytes narrow = StoreKeys.series("acme", PROVIDER, "narrow");
        Bytes wide = StoreKeys.series("acme", PROVIDER, "wide");
        totals.put(narrow, ByteBuffer.allocate(32).putLong(2).putLong(10).putLong(20).putLong(30).array());
        totals.put(wide, ByteBuffer.allocate(56).putLong(3).putLong(1).putLong(0).putLong(0).putLong(20)
                .putLong(0).putLong(30).array());
        assertThat(fixture.usage("acme").series()).containsExactly(
                new ModelUsage(PROVIDER, "narrow", 2, 10, 20, 30),
                new ModelUsage(PROVIDER, "wide", 3, BigInteger.ONE.shiftLeft(64), big(20), big(30)));

        // when: an event with parts and one without a cost
        fixture.send(apiCall("acme").provider(PROVIDER).model("narrow").tokens(4, 4).parts(1, 1, 1).cost("0.000000001")
                .json());
        fixture.send(apiCall("acme").provider(PROVIDER).model("wide").tokens(4, 4).json());

        // then: old and new sums together, stored in the new formats
        assertThat(fixture.usage("acme").series()).containsExactly(
                new ModelUsage(PROVIDER, "narrow", 3, big(14), big(24), big(1), big(1), big(1), big(31), 0),
                new ModelUsage(PROVIDER, "wide", 4, BigInteger.ONE.shiftLeft(64).add(big(4)), big(24), big(0), big(0),
                        big(0), big(30), 1));
        assertThat(totals.get(narrow)).hasSize(64);
        assertThat(totals.get(wide)).hasSize(112);
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }
}
