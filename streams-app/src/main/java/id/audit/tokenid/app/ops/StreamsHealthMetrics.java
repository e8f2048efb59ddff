package id.audit.tokenid.app.ops;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Gauges of the streams' health, read from Kafka Streams when scraped. */
public final class StreamsHealthMetrics {

    private StreamsHealthMetrics() {
    }

    public static void register(PrometheusRegistry registry, KafkaStreams streams, BooleanSupplier ready) {
        GaugeWithCallback.builder().name("tokenid_streams_running")
                .help("1 when the Kafka Streams client is RUNNING")
                .callback(cb -> cb.call(streams.state() == KafkaStreams.State.RUNNING ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder().name("tokenid_ready")
                .help("1 when the instance is ready (streams RUNNING for 3 s since the last rebalance, nothing restoring, exporter serving)")
                .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder().name("tokenid_consumer_lag_records")
                .help("Largest consumer lag over this instance's input partitions, in records")
                .callback(cb -> cb.call(maxLag(streams)))
                .register(registry);
    }

    static double maxLag(KafkaStreams streams) {
        double max = 0;
        for (var entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag-max") && name.group().equals("consumer-fetch-manager-metrics")
                    && !name.tags().getOrDefault("client-id", "").contains("restore")) {
                Object value = ((Metric) entry.getValue()).metricValue();
                if (value instanceof Number number && !Double.isNaN(number.doubleValue())) {
                    max = Math.max(max, number.doubleValue());
                }
            }
        }
        return max;
    }
}
