package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events bound for one by-org partition, summed as they are read (dedup off only): one
 * {@link ByOrgEntry.SeriesSum} per (org, provider, model) and one {@link ByOrgEntry.CostCell} per
 * (org, cell of event time) instead of one entry per event, so the by-org topic, the owner's
 * decode and its adds carry a few thousand entries per commit however many events were read
 * (issue 12, items 1 and 4: a hot org's events are parsed and summed by every task, and only
 * these small sums meet at its owner).
 *
 * <p>Exact: the owner adds each sum as its events one by one (same totals, buckets and
 * quarter-hours). Series are kept in the order of their first event, so the owner meets new
 * (provider, model) pairs in the order it would have met their events and its series limit
 * ({@link SeriesLimit}) admits the same pairs. Bounded like a {@link CountedBatch}: it is full once
 * its entries may take {@link CountedBatch#MAX_BYTES} encoded (an upper estimate).
 */
final class PartialSumBatch implements ByOrgBatches.Batch {

    /** Worst case of an entry beside its strings: kind, flags, lengths and the widest totals. */
    private static final int SERIES_OVERHEAD = 2 * Integer.BYTES + 2 + UsageTotals.PARTS_WIDE_SIZE + 3 * Integer.BYTES;
    private static final int CELL_OVERHEAD = Integer.BYTES + 2 + Long.BYTES + WideSum.WIDE_BYTES + Integer.BYTES;

    private record Series(String orgId, String provider, String model) {
    }

    private record Cell(String orgId, long startMillis) {
    }

    private final long cellMillis;
    private final Map<Series, UsageTotals> series = new LinkedHashMap<>();
    private final Map<Cell, WideSum> cells = new LinkedHashMap<>();
    private int estimatedBytes;

    /**
     * @param cellMillis width of the cost cells; must divide both the bucket width and the quarter-hour
     */
    PartialSumBatch(long cellMillis) {
        if (cellMillis < 1) {
            throw new IllegalArgumentException("cell must be positive, was " + cellMillis);
        }
        this.cellMillis = cellMillis;
    }

    @Override
    public void add(ApiCallEvent event) {
        // An event without a pair joins its org's entry without one: only its count is used.
        Series key = event.hasModel() ? new Series(event.orgId(), event.provider(), event.model())
                : new Series(event.orgId(), null, null);
        UsageTotals sum = series.get(key);
        if (sum == null) {
            sum = new UsageTotals();
            series.put(key, sum);
            estimatedBytes += SERIES_OVERHEAD + utf8Bound(key.orgId()) + utf8Bound(key.provider())
                    + utf8Bound(key.model());
        }
        sum.add(event);
        // As the owner does: an event with no cost adds to no bucket (and creates none).
        if (event.costNanos() > 0) {
            Cell cell = new Cell(event.orgId(), Math.floorDiv(event.timestampMillis(), cellMillis) * cellMillis);
            WideSum cost = cells.get(cell);
            if (cost == null) {
                cost = new WideSum();
                cells.put(cell, cost);
                estimatedBytes += CELL_OVERHEAD + utf8Bound(cell.orgId());
            }
            cost.add(event.costNanos());
        }
    }

    @Override
    public boolean isEmpty() {
        return series.isEmpty();
    }

    @Override
    public boolean isFull() {
        return estimatedBytes >= CountedBatch.MAX_BYTES;
    }

    /** Series first, in the order of their first event, then the cost cells. */
    @Override
    public byte[] take(int partition) {
        CountedBatch batch = new CountedBatch();
        series.forEach((key, sum) -> batch.add(PartialSumSerde.encode(
                new ByOrgEntry.SeriesSum(key.orgId(), key.provider(), key.model(), sum))));
        cells.forEach((key, cost) -> batch.add(PartialSumSerde.encode(
                new ByOrgEntry.CostCell(key.orgId(), key.startMillis(), cost))));
        clear();
        return batch.take(partition);
    }

    @Override
    public void clear() {
        series.clear();
        cells.clear();
        estimatedBytes = 0;
    }

    /** UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
    private static int utf8Bound(String value) {
        return value == null ? 0 : 3 * value.length();
    }

    /**
     * The widest cell that divides both the rolling-window bucket and the quarter-hour: cost
     * summed per cell lands in the same bucket and quarter-hour as each of its events.
     */
    static long cellMillis(TopologySettings settings) {
        long bucket = settings.bucket().toMillis();
        long quarterHour = TopologySettings.QUARTER_HOUR.toMillis();
        return java.math.BigInteger.valueOf(bucket).gcd(java.math.BigInteger.valueOf(quarterHour)).longValueExact();
    }
}
