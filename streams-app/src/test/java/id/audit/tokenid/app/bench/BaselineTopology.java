package id.audit.tokenid.app.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The comparison point: the aggregation as a user would write it without this product, in the
 * Kafka Streams DSL. Jackson data binding to a record, {@code groupBy} (org|provider|model) with
 * a JSON serde and {@code aggregate} into JSON totals, and per-org cost in one-minute windows
 * (5 minutes grace) by record timestamp. Bad records are dropped; there is no dead-letter topic
 * and no dedup. Exactly-once v2 with the default commit interval and record cache.
 */
final class BaselineTopology {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private BaselineTopology() {
    }

    static Topology build(String inputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], ApiCall> calls = builder
                .stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMapValues(BaselineTopology::parse);
        Serde<ApiCall> callSerde = new JsonSerde<>(ApiCall.class);

        calls.filter((key, call) -> call.provider() != null && call.model() != null)
                .groupBy((key, call) -> call.orgId() + "|" + call.provider() + "|" + call.model(),
                        Grouped.with("baseline-by-series", Serdes.String(), callSerde))
                .aggregate(Totals::zero, (series, call, totals) -> totals.plus(call),
                        Materialized.<String, Totals, KeyValueStore<Bytes, byte[]>>as("baseline-totals")
                                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(Totals.class)));

        calls.groupBy((key, call) -> call.orgId(), Grouped.with("baseline-by-org", Serdes.String(), callSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofMinutes(5)))
                .aggregate(OrgCost::zero, (org, call, cost) -> cost.plus(call),
                        Materialized.<String, OrgCost, WindowStore<Bytes, byte[]>>as("baseline-cost-per-minute")
                                .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde<>(OrgCost.class)));
        return builder.build();
    }

    /**
     * Exactly-once v2 and as many stream threads as the product gets; everything else (commit
     * interval, caching) left at Kafka's defaults.
     */
    static Properties properties(String applicationId, String bootstrapServers, String stateDir, int threads) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return props;
    }

    private static List<ApiCall> parse(byte[] value) {
        try {
            ApiCall call = MAPPER.readValue(value, ApiCall.class);
            return call.isValid() ? List.of(call.normalized()) : List.of();
        } catch (IOException | RuntimeException badRecord) {
            return List.of();
        }
    }

    /** The fields of an api_call event this aggregation needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ApiCall(@JsonProperty("type") String type,
                   @JsonProperty("org_id") String orgId,
                   @JsonProperty("provider") String provider,
                   @JsonProperty("model") String model,
                   @JsonProperty("input_tokens") long inputTokens,
                   @JsonProperty("output_tokens") long outputTokens,
                   @JsonProperty("cost_usd") BigDecimal costUsd) {

        boolean isValid() {
            return (type == null || type.equals("api_call")) && orgId != null && !orgId.isBlank()
                    && inputTokens >= 0 && outputTokens >= 0 && (costUsd == null || costUsd.signum() >= 0);
        }

        ApiCall normalized() {
            return new ApiCall(type, lower(orgId), lower(provider), lower(model), inputTokens, outputTokens,
                    costUsd == null ? BigDecimal.ZERO : costUsd);
        }

        private static String lower(String text) {
            return text == null || text.isBlank() ? null : text.trim().toLowerCase(Locale.ROOT);
        }
    }

    /** Totals of one (org, provider, model). */
    record Totals(@JsonProperty("requests") long requests,
                  @JsonProperty("input_tokens") long inputTokens,
                  @JsonProperty("output_tokens") long outputTokens,
                  @JsonProperty("cost_usd") BigDecimal costUsd) {

        static Totals zero() {
            return new Totals(0, 0, 0, BigDecimal.ZERO);
        }

        Totals plus(ApiCall call) {
            return new Totals(requests + 1, inputTokens + call.inputTokens(), outputTokens + call.outputTokens(),
                    costUsd.add(call.costUsd()));
        }
    }

    /** Cost of one org in one window. */
    record OrgCost(@JsonProperty("cost_usd") BigDecimal costUsd) {

        static OrgCost zero() {
            return new OrgCost(BigDecimal.ZERO);
        }

        OrgCost plus(ApiCall call) {
            return new OrgCost(costUsd.add(call.costUsd()));
        }
    }

    /** A JSON serde over the shared mapper. */
    static final class JsonSerde<T> implements Serde<T> {
        private final Class<T> type;

        JsonSerde(Class<T> type) {
            this.type = type;
        }

        @Override
        public Serializer<T> serializer() {
            return (topic, value) -> {
                try {
                    return value == null ? null : MAPPER.writeValueAsBytes(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }

        @Override
        public Deserializer<T> deserializer() {
            return (topic, bytes) -> {
                try {
                    return bytes == null ? null : MAPPER.readValue(bytes, type);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }
}
