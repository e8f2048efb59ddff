package id.audit.tokenid.app.topology;

import static id.audit.tokenid.app.topology.EventJson.apiCall;
import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event read from the partition that owns its org is counted where it is read; any other
 * crosses the by-org topic. The driver reads every input record from partition 0, so with
 * {@code orgPartitions} 1 every org is owned there, with 0 none is, and with 4 only the orgs
 * Kafka's partitioner puts in partition 0 are. The totals must not depend on the route.
 */
class OwnedHereRoutingTest {

    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final String BY_ORG_TOPIC = "tokenid-ttd-" + StoreNames.BY_ORG + "-repartition";
    private static final List<String> ORGS = List.of("acme", "globex", "initech", "umbrella", "hooli", "stark",
            "wayne", "tyrell", "cyberdyne", "soylent");

    @TempDir
    Path stateDir;

    @Test
    void theOrgsOfPartitionZeroAreSplitFromTheOthersByKafkasPartitioner() {
        List<String> ownedByZero = ORGS.stream()
                .filter(org -> OrgPartitioner.partition(StoreKeys.org(org), 4) == 0).toList();
        // The traffic below must exercise both routes when there are four partitions.
        assertThat(ownedByZero).isNotEmpty().hasSizeLessThan(ORGS.size());
    }

    @Test
    void countsTheSameWhicheverRouteTheEventsTake() {
        Run repartitionedOnly = run(0);
        Run localOnly = run(1);
        Run mixed = run(4);

        assertThat(repartitionedOnly.usage).isNotEmpty();
        assertThat(localOnly.usage).isEqualTo(repartitionedOnly.usage);
        assertThat(mixed.usage).isEqualTo(repartitionedOnly.usage);
        assertThat(localOnly.duplicates).isEqualTo(repartitionedOnly.duplicates).isPositive();
        assertThat(mixed.duplicates).isEqualTo(repartitionedOnly.duplicates);
        assertThat(localOnly.deadLetters).isEqualTo(repartitionedOnly.deadLetters).isPositive();
        assertThat(mixed.deadLetters).isEqualTo(repartitionedOnly.deadLetters);
    }

    @Test
    void onlyEventsOutsideTheirOrgsPartitionCrossTheByOrgTopic() {
        Run repartitionedOnly = run(0);
        Run localOnly = run(1);
        Run mixed = run(4);

        long validEvents = repartitionedOnly.byOrgOrgs.size();
        assertThat(validEvents).isEqualTo(traffic().size() - 2);  // two bad records
        assertThat(localOnly.byOrgOrgs).isEmpty();
        Set<String> notOwnedByZero = ORGS.stream()
                .filter(org -> OrgPartitioner.partition(StoreKeys.org(org), 4) != 0).collect(Collectors.toSet());
        assertThat(mixed.byOrgOrgs).isNotEmpty().allMatch(notOwnedByZero::contains);
        assertThat(mixed.byOrgOrgs).hasSize((int) repartitionedOnly.byOrgOrgs.stream()
                .filter(notOwnedByZero::contains).count());
        // The management counter tells operators how much traffic takes the detour.
        for (Run run : List.of(repartitionedOnly, localOnly, mixed)) {
            assertThat(run.repartitionedMetric).isEqualTo(run.byOrgOrgs.size());
        }
    }

    @Test
    void inputAndByOrgTopicFeedTheSameSubTopologyAsTheStores() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        TopologyDescription description = UsageTopology.build(TopologySettings.defaults().withOrgPartitions(4),
                IngestMetrics.none(), props).describe();

        TopologyDescription.Subtopology withStores = description.subtopologies().stream()
                .filter(sub -> sub.nodes().stream().anyMatch(node -> node.name().equals("aggregate-usage")))
                .findFirst().orElseThrow();
        Set<String> sourceTopics = withStores.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Source)
                .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
                .collect(Collectors.toSet());
        assertThat(sourceTopics).containsExactlyInAnyOrder("api-calls", StoreNames.BY_ORG + "-repartition");
    }

    private record Run(List<OrgUsage> usage, long duplicates, long deadLetters, List<String> byOrgOrgs,
                       long repartitionedMetric) {
    }

    private Run run(int orgPartitions) {
        TopologySettings settings = TopologySettings.defaults().withOrgPartitions(orgPartitions);
        try (TopologyFixture fixture = new TopologyFixture(settings, START, stateDir.resolve("p" + orgPartitions))) {
            var byOrg = fixture.driver.createOutputTopic(BY_ORG_TOPIC, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            for (String json : traffic()) {
                fixture.send(json);
            }
            // What each commit kept goes out with the next record or punctuation.
            fixture.advanceWallClock(ParseProcessor.SEND_KEPT_EVERY);
            List<String> byOrgOrgs = new ArrayList<>();
            for (var kv : byOrg.readKeyValuesToList()) {
                int batchPartition = ByteBuffer.wrap(kv.value).getInt();
                for (ByOrgEntry entry : CountedBatch.decode(kv.value)) {
                    // The traffic dedups (the defaults' window), so events cross, not partial sums.
                    ApiCallEvent event = ((ByOrgEntry.Event) entry).event();
                    byOrgOrgs.add(event.orgId());
                    byte[] org = StoreKeys.org(event.orgId());
                    if (orgPartitions == 0) {
                        // Partition count unknown: one event per record, keyed by its org.
                        assertThat(batchPartition).isEqualTo(CountedBatch.BY_KEY);
                        assertThat(kv.key).isEqualTo(org);
                    } else {
                        // A batch holds only events of orgs of the partition it is sent to.
                        assertThat(batchPartition).isEqualTo(OrgPartitioner.partition(org, orgPartitions));
                    }
                }
            }
            return new Run(fixture.allUsage(), fixture.metrics.duplicates.get(),
                    fixture.metrics.deadLetters.values().stream().mapToLong(Long::longValue).sum(), byOrgOrgs,
                    fixture.metrics.repartitioned.get());
        }
    }

    /** Every org with a model and without, a repeated id per org, and two bad records. */
    private static List<String> traffic() {
        List<String> events = new ArrayList<>();
        int n = 0;
        for (String org : ORGS) {
            for (int i = 0; i < 3; i++) {
                events.add(apiCall(org.toUpperCase()).eventId(org + "-" + i).provider("openai").model("gpt-" + i)
                        .tokens(10 + i, 5).cost("0.00" + (++n)).at(START.minus(Duration.ofMinutes(i))).json());
            }
            events.add(apiCall(org).eventId(org + "-1").provider("openai").model("gpt-1").tokens(11, 5)
                    .cost("0.5").json());
            events.add(apiCall(" " + org).cost("0.25").json());
        }
        events.add("not json");
        events.add(apiCall("acme").tokens(-1, 0).json());
        return events;
    }
}
