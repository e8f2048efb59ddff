package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The parse step's partial sums and the by-org wire format they share with events. */
class PartialSumBatchTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_764_244_800_000L; // 2025-11-27T12:00:00Z, a quarter-hour edge

    private static ApiCallEvent event(String org, String model, long cost, long time) {
        return new ApiCallEvent("id", org, model == null ? null : "p", model, 10, 4, 2, 1, 3, cost, true, time);
    }

    @Test
    void sumsAMinuteOfEventsIntoOneEntryPerSeriesAndOnePerCostCell() {
        // given
        PartialSumBatch batch = new PartialSumBatch(MINUTE);

        // when: 1,000 events of two orgs over two models in one minute, a few without a model
        for (int i = 0; i < 1000; i++) {
            batch.add(event(i % 2 == 0 ? "acme" : "globex", i % 10 == 9 ? null : "m" + (i % 4) / 2, 7, T0 + i));
        }
        List<ByOrgEntry> entries = CountedBatch.decode(batch.take(2));

        // then: (acme m0, globex m0, acme m1, globex m1, globex without) series, then acme's and globex's cell
        assertThat(entries).hasSize(7);
        assertThat(entries.stream().filter(e -> e instanceof ByOrgEntry.SeriesSum)
                .mapToLong(e -> ((ByOrgEntry.SeriesSum) e).totals().requests()).sum()).isEqualTo(1000);
        assertThat(entries.subList(5, 7)).containsExactly(
                new ByOrgEntry.CostCell("acme", T0, sum(500 * 7)),
                new ByOrgEntry.CostCell("globex", T0, sum(500 * 7)));
        assertThat(batch.isEmpty()).as("taking empties it").isTrue();
    }

    @Test
    void keepsSeriesInTheOrderOfTheirFirstEventSoTheSeriesLimitAdmitsTheSamePairs() {
        PartialSumBatch batch = new PartialSumBatch(MINUTE);
        for (String model : new String[] {"c", "a", "c", "b", "a", "d"}) {
            batch.add(event("acme", model, 1, T0));
        }

        assertThat(CountedBatch.decode(batch.take(0)).stream()
                .filter(e -> e instanceof ByOrgEntry.SeriesSum)
                .map(e -> ((ByOrgEntry.SeriesSum) e).model())).containsExactly("c", "a", "b", "d");
    }

    @Test
    void putsCostIntoCellsThatEachLieInOneBucketAndOneQuarterHourAndLeavesFreeEventsOut() {
        // given: buckets of 20 minutes and quarter-hours share 5-minute cells
        long cell = PartialSumBatch.cellMillis(new TopologySettings("i", "d", "t", Duration.ZERO,
                Duration.ofMinutes(20), 4));
        PartialSumBatch batch = new PartialSumBatch(cell);

        // when
        batch.add(event("acme", "m", 5, T0 + 4 * MINUTE));
        batch.add(event("acme", "m", 6, T0 + 5 * MINUTE));
        batch.add(event("acme", "m", 0, T0 + 11 * MINUTE));
        batch.add(event("acme", "m", 7, T0 - 1));

        // then
        assertThat(cell).isEqualTo(5 * MINUTE);
        assertThat(CountedBatch.decode(batch.take(0))).containsSubsequence(
                new ByOrgEntry.CostCell("acme", T0, sum(5)),
                new ByOrgEntry.CostCell("acme", T0 + 5 * MINUTE, sum(6)),
                new ByOrgEntry.CostCell("acme", T0 - 5 * MINUTE, sum(7)))
                .hasSize(4);
    }

    @Test
    void isFullBeforeItsEntriesCouldPassTheBatchLimit() {
        PartialSumBatch batch = new PartialSumBatch(MINUTE);
        int series = 0;
        while (!batch.isFull()) {
            batch.add(event("org-" + series, "model-" + series, 1, T0 + series * MINUTE));
            series++;
        }
        assertThat(series).isGreaterThan(100);
        assertThat(batch.take(0).length).isLessThanOrEqualTo(CountedBatch.MAX_BYTES);
    }

    @Test
    void roundTripsSumsBeyondALongAndSeriesWithPartsAndUnpricedEvents() {
        PartialSumBatch batch = new PartialSumBatch(MINUTE);
        for (int i = 0; i < 20; i++) {
            batch.add(new ApiCallEvent(null, "acme \uD83D\uDE80", "p", "m", 1L << 53, 1L << 53, 1L << 52, 1, 1L << 50,
                    CostNanos.MAX_NANOS, true, T0));
            batch.add(new ApiCallEvent(null, "acme \uD83D\uDE80", "p", "m", 3, 2, 0, 0, 0, 0, false, T0));
        }

        List<ByOrgEntry> entries = CountedBatch.decode(batch.take(0));

        ByOrgEntry.SeriesSum series = (ByOrgEntry.SeriesSum) entries.get(0);
        assertThat(series.orgId()).isEqualTo("acme \uD83D\uDE80");
        assertThat(series.totals().requests()).isEqualTo(40);
        assertThat(series.totals().unpricedRequests()).isEqualTo(20);
        assertThat(series.totals().inputTokens())
                .isEqualTo(BigInteger.ONE.shiftLeft(53).multiply(BigInteger.valueOf(20)).add(BigInteger.valueOf(60)));
        assertThat(series.totals().cachedInputTokens()).isEqualTo(BigInteger.ONE.shiftLeft(52).multiply(BigInteger.valueOf(20)));
        assertThat(series.totals().costNanos()).isEqualTo(BigInteger.valueOf(CostNanos.MAX_NANOS).multiply(BigInteger.valueOf(20)));
        assertThat(((ByOrgEntry.CostCell) entries.get(1)).costNanos().toBigInteger())
                .isEqualTo(BigInteger.valueOf(CostNanos.MAX_NANOS).multiply(BigInteger.valueOf(20)));
    }

    @Test
    void aBatchWrittenBeforePartialSumsStillDecodesAsItsEvents() {
        // given: a version-1 event entry as the build before issue 11 wrote it, and a version-2 one
        byte[] versionOne = versionOne("acme", "p", "m", 1, 2, 3, T0);
        ApiCallEvent withParts = new ApiCallEvent("e2", "acme", "p", "m", 10, 5, 1, 2, 3, 0, false, T0);
        byte[] batch = batchOf(versionOne, CountedEventSerde.encode(withParts));

        // when
        List<ByOrgEntry> entries = CountedBatch.decode(batch);

        // then
        assertThat(entries).containsExactly(
                new ByOrgEntry.Event(new ApiCallEvent(null, "acme", "p", "m", 1, 2, 3, T0)),
                new ByOrgEntry.Event(withParts));
    }

    @Test
    void rejectsUnknownKindsAndTruncatedSumsAsSerializationErrors() {
        PartialSumBatch sums = new PartialSumBatch(MINUTE);
        sums.add(event("acme", "m", 5, T0));
        byte[] series = PartialSumSerde.encode((ByOrgEntry.SeriesSum) CountedBatch.decode(sums.take(0)).get(0));

        assertThatThrownBy(() -> CountedBatch.decode(batchOf(new byte[] {9, 0, 0})))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> CountedBatch.decode(batchOf(Arrays.copyOf(series, series.length - 2))))
                .isInstanceOf(SerializationException.class);
        byte[] longer = Arrays.copyOf(series, series.length + 1);
        assertThatThrownBy(() -> CountedBatch.decode(batchOf(longer))).isInstanceOf(SerializationException.class);
    }

    private static WideSum sum(long value) {
        WideSum sum = new WideSum();
        sum.add(value);
        return sum;
    }

    /** A by-org record laid out by hand: partition 0, count, then (length, entry) each. */
    private static byte[] batchOf(byte[]... entries) {
        int size = 8 + Arrays.stream(entries).mapToInt(e -> 4 + e.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).putInt(0).putInt(entries.length);
        for (byte[] entry : entries) {
            out.putInt(entry.length).put(entry);
        }
        return out.array();
    }

    /** Version 1 of a counted event, without an event id: byte 1, flags, four longs, strings. */
    private static byte[] versionOne(String org, String provider, String model, long in, long out, long cost,
                                     long time) {
        byte[][] strings = {org.getBytes(StandardCharsets.UTF_8), provider.getBytes(StandardCharsets.UTF_8),
                model.getBytes(StandardCharsets.UTF_8)};
        ByteBuffer buffer = ByteBuffer.allocate(2 + 32 + Arrays.stream(strings).mapToInt(s -> 4 + s.length).sum())
                .put((byte) 1).put((byte) (2 | 4)).putLong(time).putLong(in).putLong(out).putLong(cost);
        for (byte[] string : strings) {
            buffer.putInt(string.length).put(string);
        }
        return buffer.array();
    }
}
