package id.audit.tokenid.app.ops;

import id.audit.tokenid.app.topology.IngestMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topology's operational counters on the management port. The ignored-type label comes
 * from customer input, so it is capped: past {@link #MAX_TYPE_LABELS} distinct types, the rest
 * count as {@code other}.
 */
public final class PrometheusIngestMetrics implements IngestMetrics {

    static final int MAX_TYPE_LABELS = 20;

    private final Counter consumed;
    private final Counter counted;
    private final Counter duplicates;
    private final Counter repartitioned;
    private final Counter ignored;
    private final Counter deadLetters;
    private final Counter unpriced;
    private final Counter invalidPriceRows;
    private final Gauge dedupIdsIndexed;
    private final Counter budgetRecordsRejected;
    private final Set<String> typeLabels = ConcurrentHashMap.newKeySet();

    private PrometheusIngestMetrics(PrometheusRegistry registry) {
        consumed = Counter.builder().name("tokenid_events_consumed_total")
                .help("Records read from the input topic").register(registry);
        counted = Counter.builder().name("tokenid_events_counted_total")
                .help("api_call events added to the totals").register(registry);
        duplicates = Counter.builder().name("tokenid_duplicates_total")
                .help("Events dropped as repeats of an event_id inside the dedup window").register(registry);
        repartitioned = Counter.builder().name("tokenid_events_repartitioned_total")
                .help("api_call events read outside their org's partition, sent through the by-org topic "
                        + "(key records by org id to avoid it)").register(registry);
        ignored = Counter.builder().name("tokenid_events_ignored_total")
                .help("Events of other types than api_call, by type").labelNames("type").register(registry);
        deadLetters = Counter.builder().name("tokenid_dead_letters_total")
                .help("Records sent to the dead-letter topic, by reason").labelNames("reason").register(registry);
        unpriced = Counter.builder().name("tokenid_events_unpriced_total")
                .help("api_call events without cost_usd that no price row priced (counted at cost 0; "
                        + "add the missing row, README \"Prices\")").register(registry);
        invalidPriceRows = Counter.builder().name("tokenid_price_rows_invalid_total")
                .help("Records of the prices topic that are not valid price rows (ignored, see the log)")
                .register(registry);
        dedupIdsIndexed = Gauge.builder().name("tokenid_dedup_ids_indexed")
                .help("Event ids of the last one to two dedup windows in the dedup index, over this instance's "
                        + "tasks (on disk in RocksDB, not in heap)").register(registry);
        budgetRecordsRejected = Counter.builder().name("tokenid_budget_records_rejected_total")
                .help("Records of the budgets topic that give no budget (key not an org id, malformed value; "
                        + "the log says which), on this instance since it started").register(registry);
    }

    @Override
    public void budgetRecordRejected() {
        budgetRecordsRejected.inc();
    }

    @Override
    public void dedupIdsIndexed(long delta) {
        dedupIdsIndexed.inc(delta);
    }

    public static PrometheusIngestMetrics register(PrometheusRegistry registry) {
        return new PrometheusIngestMetrics(registry);
    }

    @Override
    public void consumed() {
        consumed.inc();
    }

    @Override
    public void counted() {
        counted.inc();
    }

    @Override
    public void counted(long events) {
        counted.inc(events);
    }

    @Override
    public void duplicate() {
        duplicates.inc();
    }

    @Override
    public void repartitioned() {
        repartitioned.inc();
    }

    @Override
    public void ignored(String type) {
        String label = typeLabels.contains(type) || (typeLabels.size() < MAX_TYPE_LABELS && typeLabels.add(type))
                ? type : "other";
        ignored.labelValues(label).inc();
    }

    @Override
    public void deadLettered(String reason) {
        deadLetters.labelValues(reason).inc();
    }

    @Override
    public void unpriced() {
        unpriced.inc();
    }

    @Override
    public void invalidPriceRow() {
        invalidPriceRows.inc();
    }
}
