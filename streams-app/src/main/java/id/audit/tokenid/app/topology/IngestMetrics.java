package id.audit.tokenid.app.topology;

/**
 * What the topology reports about its input, for the management port. Operational only:
 * under exactly-once a crashed task re-processes, so these may count a record twice; the
 * usage totals never do.
 */
public interface IngestMetrics {

    void consumed();

    void counted();

    /** {@code events} events counted at once (a partial sum of another task's events). */
    default void counted(long events) {
        for (long i = 0; i < events; i++) {
            counted();
        }
    }

    void duplicate();

    /** A valid event read outside its org's partition, which crosses the by-org topic. */
    void repartitioned();

    void ignored(String type);

    void deadLettered(String reason);

    /**
     * An event without {@code cost_usd} that no price row priced (no provider or model, or no row
     * for them at its event time): it counts with cost 0. Counted in the parse step, before dedup,
     * so a repeated event may count twice here.
     */
    void unpriced();

    /** A prices-topic record that is not a valid price row: ignored (its key's row removed). */
    void invalidPriceRow();

    /**
     * The event ids in the dedup index changed by {@code delta}: up as ids are counted (and
     * refiled when a task starts), down as arrival buckets age out and as tasks close. The index
     * is on disk (RocksDB), not in the heap (README, "Memory").
     */
    void dedupIdsIndexed(long delta);

    /**
     * A record of the budgets topic gave no budget: its key is no org id or its value is
     * malformed (see {@code budgets/BudgetRecord}). Counted on every instance, since each reads
     * the whole topic.
     */
    default void budgetRecordRejected() {
    }

    /** Metrics that go nowhere: for tests and benchmarks that do not look at them. */
    static IngestMetrics none() {
        return new Ignored();
    }

    /** Metrics that go nowhere; a test or benchmark overrides the one it looks at. */
    class Ignored implements IngestMetrics {
        @Override
        public void consumed() {
        }

        @Override
        public void counted() {
        }

        @Override
        public void duplicate() {
        }

        @Override
        public void repartitioned() {
        }

        @Override
        public void ignored(String type) {
        }

        @Override
        public void deadLettered(String reason) {
        }

        @Override
        public void unpriced() {
        }

        @Override
        public void invalidPriceRow() {
        }

        @Override
        public void dedupIdsIndexed(long delta) {
        }
    }
}
