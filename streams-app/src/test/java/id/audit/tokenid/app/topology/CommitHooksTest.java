package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.app.pricing.PriceSettings;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregation writes what it summed when Kafka Streams flushes the record cache, before a
 * commit or when the cache makes room ({@link CommitHooks}). Whichever comes, nothing summed may
 * stay unwritten at a commit: a cache too small for even one marker flushes it as soon as it is
 * written, and the totals must come out as with room to spare.
 */
class CommitHooksTest {

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final long USD = 1_000_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void countsTheSameWhenTheRecordCacheEvictsEveryMarkerAsItIsWritten() {
        List<OrgUsage> roomy = run("roomy", Map.of());
        List<OrgUsage> evicting = run("evicting", Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1L));

        assertThat(roomy).isNotEmpty();
        assertThat(evicting).isEqualTo(roomy);
    }

    @Test
    void refusesToBuildWithoutARecordCache() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);

        assertThatThrownBy(() -> UsageTopology.build(TopologySettings.defaults(), IngestMetrics.none(), props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
    }

    /** Single events, then several in one by-org record (one process call), each org's last event last. */
    private List<OrgUsage> run(String name, Map<String, Object> streamsSettings) {
        try (TopologyFixture fixture = new TopologyFixture(TopologySettings.defaults(), PriceSettings.shipped(), START,
                stateDir.resolve(name), streamsSettings)) {
            for (int i = 0; i < 6; i++) {
                fixture.send(apiCall("org-" + (i % 3)).eventId("e-" + i).provider("p").model("m" + (i % 2))
                        .tokens(i, 1).cost(Long.toString(i)).json());
            }
            fixture.advanceWallClock(Duration.ofMinutes(1));
            CountedBatch batch = new CountedBatch();
            for (int i = 0; i < 4; i++) {
                batch.add(CountedEventSerde.encode(new ApiCallEvent("b-" + i, "org-" + (i % 2), "p", "m0", 1, 2,
                        (i + 1) * USD, START.toEpochMilli())));
            }
            fixture.sendByOrg(batch.take(CountedBatch.BY_KEY));
            return fixture.allUsage();
        }
    }
}
