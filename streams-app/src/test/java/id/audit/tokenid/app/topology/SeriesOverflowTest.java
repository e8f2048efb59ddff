package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallEvent;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cardinality guard through the topology: with a limit of two series per org, a third
 * (provider, model) pair is counted in the org's OVERFLOW series, the admitted pairs keep
 * counting, and the admitted set is the totals store's: a processor over a restored copy of the
 * store (a restart, a standby taking over) admits the same pairs.
 */
class SeriesOverflowTest {

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final long USD = 1_000_000_000L;

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture start(int limit, String run) {
        fixture = new TopologyFixture(TopologySettings.defaults().withMaxSeriesPerOrg(limit), START,
                stateDir.resolve(run));
        return fixture;
    }

    private void send(String org, String model, long usd) {
        fixture.send(apiCall(org).provider("p").model(model).tokens(1, 1).cost(Long.toString(usd)).json());
    }

    @Test
    void foldsTheThirdPairIntoTheOverflowSeriesAndKeepsCountingTheFirstTwo() {
        // given
        start(2, "one");

        // when
        send("acme", "a", 1);
        send("acme", "b", 2);
        send("acme", "c", 4);
        send("acme", "a", 8);
        send("acme", "c", 16);
        send("acme", "d", 32);
        send("globex", "c", 64); // another org has its own limit
        fixture.send(apiCall("acme").provider("p").model("e").tokens(3, 2).parts(1, 1, 1).json()); // unpriced

        // then
        OrgUsage acme = fixture.usage("acme");
        assertThat(acme.series()).extracting(ModelUsage::provider, ModelUsage::model, ModelUsage::requests,
                        ModelUsage::costNanos)
                .containsExactly(
                        tuple(ModelUsage.OVERFLOW, ModelUsage.OVERFLOW, 4, 52),
                        tuple("p", "a", 2, 9),
                        tuple("p", "b", 1, 2));
        ModelUsage overflow = acme.series().get(0);
        assertThat(overflow.isOverflow()).isTrue();
        assertThat(overflow.unpricedRequests()).isEqualTo(1);
        assertThat(overflow.inputTokens()).isEqualTo(6);
        assertThat(overflow.reasoningTokens()).isEqualTo(1);
        assertThat(acme.overflowEvents()).isEqualTo(4);
        assertThat(acme.rolling24hCostNanos()).isEqualTo(63 * USD);
        assertThat(fixture.usage("globex").series()).extracting(ModelUsage::model).containsExactly("c");
        assertThat(fixture.usage("globex").overflowEvents()).isZero();
    }

    @Test
    void countsAPairOnceWhenItsEventsArriveTogetherBeforeACommit() {
        // given: one stored series of three allowed
        start(3, "one");
        send("acme", "a", 1);

        // when: three events of a new pair in one record, then two new pairs
        CountedBatch batch = new CountedBatch();
        for (int i = 0; i < 3; i++) {
            batch.add(CountedEventSerde.encode(new ApiCallEvent(null, "acme", "p", "x", 1, 1, USD, START.toEpochMilli())));
        }
        fixture.sendByOrg(batch.take(CountedBatch.BY_KEY));
        send("acme", "y", 1);
        send("acme", "z", 1);

        // then: x took one place, so y had the third and z folded
        assertThat(fixture.usage("acme").series()).extracting(ModelUsage::model, ModelUsage::requests)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelUsage.OVERFLOW, 1L),
                        org.assertj.core.groups.Tuple.tuple("a", 1L),
                        org.assertj.core.groups.Tuple.tuple("x", 3L),
                        org.assertj.core.groups.Tuple.tuple("y", 1L));
    }

    @Test
    void aProcessorOverTheRestoredStoreAdmitsTheSamePairs() {
        // given: a, b admitted and c folded, then the instance stops
        start(2, "before");
        send("acme", "a", 1);
        send("acme", "b", 2);
        send("acme", "c", 4);
        List<KeyValue<Bytes, byte[]>> stored = contents(fixture.driver.getKeyValueStore(StoreNames.TOTALS));
        fixture.close();

        // when: a new processor starts over the same totals (as restored from the changelog)
        start(2, "after");
        KeyValueStore<Bytes, byte[]> totals = fixture.driver.getKeyValueStore(StoreNames.TOTALS);
        stored.forEach(entry -> totals.put(entry.key, entry.value));
        send("acme", "c", 8);
        send("acme", "b", 16);
        send("acme", "d", 32);

        // then
        assertThat(fixture.usage("acme").series()).extracting(ModelUsage::model, ModelUsage::requests,
                        ModelUsage::costNanos)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelUsage.OVERFLOW, 3L, BigInteger.valueOf(44 * USD)),
                        org.assertj.core.groups.Tuple.tuple("a", 1L, BigInteger.valueOf(USD)),
                        org.assertj.core.groups.Tuple.tuple("b", 2L, BigInteger.valueOf(18 * USD)));
    }

    @Test
    void aRaisedLimitAdmitsTheNextNewPairAndALoweredOneRemovesNoSeries() {
        // given: a, b admitted and c folded under a limit of 2
        start(2, "two");
        send("acme", "a", 1);
        send("acme", "b", 2);
        send("acme", "c", 4);
        List<KeyValue<Bytes, byte[]>> stored = contents(fixture.driver.getKeyValueStore(StoreNames.TOTALS));
        fixture.close();

        // when: restarted with a limit of 3, then of 1
        start(3, "three");
        KeyValueStore<Bytes, byte[]> totals = fixture.driver.getKeyValueStore(StoreNames.TOTALS);
        stored.forEach(entry -> totals.put(entry.key, entry.value));
        send("acme", "c", 8);
        send("acme", "d", 16);
        List<KeyValue<Bytes, byte[]>> storedAtThree = contents(totals);
        fixture.close();
        start(1, "one");
        KeyValueStore<Bytes, byte[]> totalsAtOne = fixture.driver.getKeyValueStore(StoreNames.TOTALS);
        storedAtThree.forEach(entry -> totalsAtOne.put(entry.key, entry.value));
        send("acme", "a", 32);
        send("acme", "e", 64);

        // then: c has its own series from the restart on (its first event stays in OVERFLOW);
        // with the limit lowered, a, b and c still count and e folds
        assertThat(fixture.usage("acme").series()).extracting(ModelUsage::model, ModelUsage::costNanos)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelUsage.OVERFLOW, BigInteger.valueOf(84 * USD)),
                        org.assertj.core.groups.Tuple.tuple("a", BigInteger.valueOf(33 * USD)),
                        org.assertj.core.groups.Tuple.tuple("b", BigInteger.valueOf(2 * USD)),
                        org.assertj.core.groups.Tuple.tuple("c", BigInteger.valueOf(8 * USD)));
    }

    private static List<KeyValue<Bytes, byte[]>> contents(KeyValueStore<Bytes, byte[]> store) {
        List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    private static org.assertj.core.groups.Tuple tuple(String provider, String model, long requests, long usd) {
        return org.assertj.core.groups.Tuple.tuple(provider, model, requests, BigInteger.valueOf(usd * USD));
    }
}
