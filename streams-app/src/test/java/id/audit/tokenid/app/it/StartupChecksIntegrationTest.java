package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.config.AppConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up stops with one line naming the setting when a topic is missing; nothing runs half-configured. */
class StartupChecksIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @TempDir
    Path tmp;

    @Test
    void refusesToStartWhenTheInputTopicDoesNotExist() throws Exception {
        AppConfig config = ServiceFixtures.config(kafka, "startup-missing", tmp.resolve("state"), 0,
                ServiceFixtures.writeTokensFile(tmp, Map.of()));

        assertThatThrownBy(() -> Service.start(config, TestInstance.overrides()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'startup-missing-calls'")
                .hasMessageContaining("--input-topic");
    }

    @Test
    void refusesToStartWhenTheTokensTopicDoesNotExist() throws Exception {
        AppConfig config = ServiceFixtures.config(kafka, "startup-no-tokens", tmp.resolve("state"), 0,
                ServiceFixtures.writeTokensFile(tmp, Map.of()));
        kafka.createTopic(config.inputTopic(), 1);
        kafka.createTopic(config.dlqTopic(), 1);

        assertThatThrownBy(() -> Service.start(config, TestInstance.overrides()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tokens-topic");
    }

    @Test
    void refusesToStartWhenTheBudgetsTopicDoesNotExist() throws Exception {
        AppConfig config = ServiceFixtures.config(kafka, "startup-no-budgets", tmp.resolve("state"), 0,
                ServiceFixtures.writeTokensFile(tmp, Map.of()));
        kafka.createTopic(config.inputTopic(), 1);
        kafka.createTopic(config.dlqTopic(), 1);
        kafka.createCompactedTopic(config.tokensTopic(), 1);

        assertThatThrownBy(() -> Service.start(config, TestInstance.overrides()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'startup-no-budgets-budgets'")
                .hasMessageContaining("--budgets-topic");
    }

    @Test
    void refusesToStartWhenThePricesTopicDoesNotExist() throws Exception {
        AppConfig config = ServiceFixtures.config(kafka, "startup-no-prices", tmp.resolve("state"), 0,
                ServiceFixtures.writeTokensFile(tmp, Map.of()));
        kafka.createTopic(config.inputTopic(), 1);
        kafka.createTopic(config.dlqTopic(), 1);
        kafka.createCompactedTopic(config.tokensTopic(), 1);
        kafka.createCompactedTopic(config.budgetsTopic(), 1);

        assertThatThrownBy(() -> Service.start(config, TestInstance.overrides()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'startup-no-prices-prices'")
                .hasMessageContaining("--prices-topic");
    }
}
