package id.audit.tokenid.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.audit.tokenid.app.Main;
import id.audit.tokenid.app.Service;
import id.audit.tokenid.app.budgets.OrgBudget;
import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.exporter.auth.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A budget written with the CLI ({@code budget set}, in process, against the real broker) reaches
 * every instance's global store and its {@code GET /metrics} within seconds; a change and a
 * {@code budget delete} too.
 */
class BudgetsIntegrationTest {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();
    private static final String BUDGET_SERIES = "llm_budget_usd{org_id=\"acme\"}";
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void aBudgetSetWithTheCliShowsOnBothInstancesWithinTenSecondsAndADeleteRemovesIt() throws Exception {
        // given two instances of one deployment and a token of org acme
        String token = Tokens.mint();
        Path tokensFile = ServiceFixtures.writeTokensFile(tmp, Map.of("acme", token));
        AppConfig a = ServiceFixtures.config(kafka, "budgets-two", tmp.resolve("a"), 0, tokensFile);
        AppConfig b = ServiceFixtures.config(kafka, "budgets-two", tmp.resolve("b"), 0, tokensFile);
        TestInstance.createTopics(kafka, a, 4);

        try (Service first = Service.start(a, TestInstance.overrides());
             Service second = Service.start(b, TestInstance.overrides())) {
            List<Service> both = List.of(first, second);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (Service instance : both) {
                    HttpResponse<String> scrape = Scrapes.get(instance.httpPort(), token);
                    assertThat(scrape.statusCode()).isEqualTo(200);
                    assertThat(scrape.body()).doesNotContain("llm_budget_usd");
                }
            });

            // when: set
            String set = budget(a, "set", "--org", " ACME ", "--monthly-usd", "1000.5", "--time-zone", "Europe/Berlin");

            // then
            assertThat(set).contains("wrote to topic 'budgets-two-budgets'", "key \"acme\"",
                    "value {\"monthly_usd\":\"1000.5\",\"time_zone\":\"Europe/Berlin\"}");
            awaitOnBoth(both, token, Optional.of(new OrgBudget(new BigInteger("1000500000000"),
                    ZoneId.of("Europe/Berlin"))), Optional.of(1000.5));

            // when: changed
            budget(a, "set", "--org", "acme", "--monthly-usd", "2000");

            // then
            awaitOnBoth(both, token, Optional.of(new OrgBudget(new BigInteger("2000000000000"), OrgBudget.DEFAULT_ZONE)),
                    Optional.of(2000.0));

            // when: deleted
            String deleted = budget(a, "delete", "--org", "acme");

            // then
            assertThat(deleted).contains("tombstone");
            awaitOnBoth(both, token, Optional.empty(), Optional.empty());
        }
    }

    /** Both instances' budget stores and their {@code /metrics} agree with the budget within 10 s. */
    private static void awaitOnBoth(List<Service> instances, String token, Optional<OrgBudget> budget,
                                    Optional<Double> gauge) {
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            // The stores first, on both: a failure then says whether the topic or the read is behind.
            for (Service instance : instances) {
                assertThat(instance.runtime().budgets().budgetOf("acme"))
                        .as("budget store of the instance on port %d", instance.httpPort()).isEqualTo(budget);
            }
            for (Service instance : instances) {
                HttpResponse<String> scrape = Scrapes.get(instance.httpPort(), token);
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(Optional.ofNullable(Scrapes.samples(scrape.body()).get(BUDGET_SERIES)))
                        .as("%s on port %d", BUDGET_SERIES, instance.httpPort()).isEqualTo(gauge);
            }
        });
    }

    /** Runs {@code budget <args>} as the jar would, against the test broker and topic; returns its output. */
    private static String budget(AppConfig config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 5];
        full[0] = "budget";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--bootstrap-servers";
        full[args.length + 2] = config.bootstrapServers();
        full[args.length + 3] = "--budgets-topic";
        full[args.length + 4] = config.budgetsTopic();

        int code = cli.execute(full);

        assertThat(code).as("budget %s: %s", String.join(" ", args), err).isZero();
        assertThat(err.toString()).isEmpty();
        return out.toString();
    }
}
