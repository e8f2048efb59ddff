package id.audit.tokenid.app.budgets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.app.topology.IngestMetrics;
import id.audit.tokenid.app.topology.TopologySettings;
import id.audit.tokenid.app.topology.UsageTopology;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budgets topic through the real topology's global store, and the lookup the reads use over
 * it: set, change, tombstone, malformed records.
 */
class BudgetStoreTopologyTest {

    private static final String TOPIC = "test-budgets";
    private static final OrgBudget THOUSAND_BERLIN =
            new OrgBudget(new BigInteger("1000000000000"), ZoneId.of("Europe/Berlin"));

    @TempDir
    Path stateDir;

    private final AtomicInteger rejected = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> budgets;
    private BudgetLookup lookup;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tokenid-budgets-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        TopologySettings settings = new TopologySettings("api-calls", "api-calls.dlq", "api-tokens",
                java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(1), 0).withBudgetsTopic(TOPIC);
        driver = new TopologyTestDriver(UsageTopology.build(settings, countingRejections(), props), props);
        budgets = driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(BudgetStore.NAME);
        lookup = new BudgetStore(() -> store);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aBudgetSetOnTheTopicIsTheOrgsBudget() {
        send("acme", "{\"monthly_usd\": \"1000\", \"time_zone\": \"Europe/Berlin\"}");

        assertThat(lookup.budgetOf("acme")).contains(THOUSAND_BERLIN);
        assertThat(lookup.budgetOf("other")).isEmpty();
        assertThat(rejected).hasValue(0);
    }

    @Test
    void theLatestRecordOfAnOrgWins() {
        send("acme", "{\"monthly_usd\": \"1000\", \"time_zone\": \"Europe/Berlin\"}");

        send("acme", "{\"monthly_usd\": 2500.5}");

        assertThat(lookup.budgetOf("acme")).contains(new OrgBudget(new BigInteger("2500500000000"), ZoneId.of("Z")));
    }

    @Test
    void aTombstoneRemovesTheBudget() {
        send("acme", "{\"monthly_usd\": \"1000\"}");

        send("acme", null);

        assertThat(lookup.budgetOf("acme")).isEmpty();
        assertThat(driver.getKeyValueStore(BudgetStore.NAME).get("acme")).isNull();
        assertThat(rejected).hasValue(0);
    }

    @Test
    void aKeyInAnySpellingOfTheOrgLandsOnTheNormalisedOrg() {
        send(" ACME ", "{\"monthly_usd\": \"1000\", \"time_zone\": \"Europe/Berlin\"}");
        assertThat(lookup.budgetOf("acme")).contains(THOUSAND_BERLIN);

        send("Acme", null);

        assertThat(lookup.budgetOf("acme")).isEmpty();
    }

    @Test
    void aMalformedValueLeavesTheOrgWithoutABudgetNotWithItsPreviousOneAndIsCounted() {
        send("acme", "{\"monthly_usd\": \"1000\"}");

        send("acme", "{\"monthly_usd\": \"-5\"}");

        assertThat(lookup.budgetOf("acme")).isEmpty();
        assertThat(driver.getKeyValueStore(BudgetStore.NAME).get("acme")).isNull();
        assertThat(rejected).hasValue(1);
    }

    @Test
    void aValidValueAfterAMalformedOneIsTheBudgetAgain() {
        send("acme", "{\"monthly_usd\": \"1e3\"}");
        send("acme", "{\"monthly_usd\": \"1000\", \"timezone\": \"Europe/Berlin\"}");

        send("acme", "{\"monthly_usd\": \"1000\", \"time_zone\": \"Europe/Berlin\"}");

        assertThat(lookup.budgetOf("acme")).contains(THOUSAND_BERLIN);
        assertThat(rejected).hasValue(2);
    }

    @Test
    void aRecordWhoseKeyIsNoOrgIdIsIgnoredAndCounted() {
        budgets.pipeInput((byte[]) null, json("{\"monthly_usd\": \"1\"}"));
        send(" \t ", "{\"monthly_usd\": \"1\"}");
        budgets.pipeInput(new byte[] {'a', (byte) 0xFF}, json("{\"monthly_usd\": \"1\"}"));

        assertThat(rejected).hasValue(3);
        assertThat(driver.getKeyValueStore(BudgetStore.NAME).approximateNumEntries()).isZero();
    }

    @Test
    void theLookupReadsAStoredValueByTheSameRule() {
        // As if an older build or a hand edit had put a value no instance accepts into the store.
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(BudgetStore.NAME);
        store.put("acme", json("{\"monthly_usd\": \"1.0000000001\"}"));

        assertThat(lookup.budgetOf("acme")).isEmpty();
    }

    @Test
    void anUnqueryableStoreIsAnErrorNotAnOrgWithoutBudget() {
        BudgetLookup starting = new BudgetStore(() -> {
            throw new InvalidStateStoreException("the global store is not ready");
        });

        assertThatThrownBy(() -> starting.budgetOf("acme")).isInstanceOf(InvalidStateStoreException.class);
    }

    private void send(String key, String value) {
        budgets.pipeInput(key.getBytes(StandardCharsets.UTF_8), value == null ? null : json(value));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Counts budget rejections and ignores every other metric. A proxy rather than an
     * implementation: the interface grows with other features' counters, and this test is about
     * one of them.
     */
    private IngestMetrics countingRejections() {
        return (IngestMetrics) Proxy.newProxyInstance(IngestMetrics.class.getClassLoader(),
                new Class<?>[] {IngestMetrics.class}, (proxy, method, args) -> {
                    if (method.getName().equals("budgetRecordRejected")) {
                        rejected.incrementAndGet();
                    }
                    return null; // every method of IngestMetrics is void
                });
    }
}
