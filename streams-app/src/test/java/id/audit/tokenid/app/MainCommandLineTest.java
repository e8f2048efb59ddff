package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.auth.TokenDigests;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI's contract (SPEC §5): help lists every setting, bad input is one line and exit 2. */
class MainCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void runHelpListsEveryFlagWithItsEnvironmentTwinAndDefault() {
        int code = execute("run", "--help");

        assertThat(code).isZero();
        // picocli wraps lines anywhere, even inside a value: compare without white space.
        String help = out.toString().replaceAll("\\s+", "");
        for (String[] setting : new String[][] {
                {"--bootstrap-servers", "TOKENID_BOOTSTRAP_SERVERS", "localhost:9092"},
                {"--input-topic", "TOKENID_INPUT_TOPIC", "api-calls"},
                {"--dlq-topic", "TOKENID_DLQ_TOPIC", "api-calls.dlq"},
                {"--tokens-topic", "TOKENID_TOKENS_TOPIC", "api-tokens"},
                {"--tokens-file", "TOKENID_TOKENS_FILE", "none"},
                {"--budgets-topic", "TOKENID_BUDGETS_TOPIC", "api-budgets"},
                {"--application-id", "TOKENID_APPLICATION_ID", "tokenid-metrics"},
                {"--state-dir", "TOKENID_STATE_DIR", "./state"},
                {"--http-port", "TOKENID_HTTP_PORT", "9400"},
                {"--management-port", "TOKENID_MANAGEMENT_PORT", "9401"},
                {"--advertised-address", "TOKENID_ADVERTISED_ADDRESS", "thishost'snameand--http-port"},
                {"--standby-replicas", "TOKENID_STANDBY_REPLICAS", "0"},
                {"--stream-threads", "TOKENID_STREAM_THREADS", "2"},
                {"--internal-secret-file", "TOKENID_INTERNAL_SECRET_FILE", "none"},
                {"--dedup-window", "TOKENID_DEDUP_WINDOW", "PT1H"},
                {"--bucket", "TOKENID_BUCKET", "PT1M"},
                {"--prices-file", "TOKENID_PRICES_FILE", "thetableshippedinthejar"},
                {"--prices-topic", "TOKENID_PRICES_TOPIC", "api-prices"},
                {"--max-series-per-org", "TOKENID_MAX_SERIES_PER_ORG", "1000"},
                {"--rocksdb-memory", "TOKENID_ROCKSDB_MEMORY", "256MiB"}}) {
            assertThat(help).contains(setting[0]).contains(setting[1]).contains("Default:" + setting[2]);
        }
    }

    @Test
    void rejectsABadDurationWithOneLineNamingTheFlag() {
        assertOneLineError(execute("run", "--dedup-window", "an hour"), "--dedup-window", "an hour");
    }

    @Test
    void rejectsABucketThatDoesNotDivideTheDayBeforeStartingAnything() {
        assertOneLineError(execute("run", "--bucket", "PT7M", "--bootstrap-servers", "127.0.0.1:1"), "--bucket");
    }

    @Test
    void rejectsABucketThatDividesTheDayButNotTheHour() {
        assertOneLineError(execute("run", "--bucket", "PT16M", "--bootstrap-servers", "127.0.0.1:1"),
                "--bucket", "divide 1 hour");
    }

    @Test
    void rejectsASeriesLimitBelowOneBeforeStartingAnything() {
        assertOneLineError(execute("run", "--max-series-per-org", "0", "--bootstrap-servers", "127.0.0.1:1"),
                "--max-series-per-org must be 1..100000, was 0");
    }

    @Test
    void rejectsARocksDbMemoryInDecimalUnitsWithOneLineNamingTheFlag() {
        assertOneLineError(execute("run", "--rocksdb-memory", "256MB", "--bootstrap-servers", "127.0.0.1:1"),
                "--rocksdb-memory", "256MiB");
    }

    @Test
    void rejectsARocksDbMemoryBelowTheMinimumBeforeStartingAnything() {
        assertOneLineError(execute("run", "--rocksdb-memory", "8MiB", "--bootstrap-servers", "127.0.0.1:1"),
                "--rocksdb-memory must be 16MiB..1TiB, was 8MiB");
    }

    @Test
    void helpNamesTheEnvironmentVariableThatHoldsTheInternalSecretItself() {
        execute("run", "--help");

        assertThat(out.toString().replaceAll("\\s+", "")).contains("TOKENID_INTERNAL_SECRET");
    }

    @Test
    void rejectsAnInternalSecretShorterThan32BytesBeforeStartingAnything() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("internal-secret", ".txt");
        try {
            java.nio.file.Files.writeString(secret, "too short\n");
            assertOneLineError(execute("run", "--internal-secret-file", secret.toString(),
                    "--bootstrap-servers", "127.0.0.1:1"), "--internal-secret-file", "32");
        } finally {
            java.nio.file.Files.delete(secret);
        }
    }

    @Test
    void rejectsAnUnreadableInternalSecretFileBeforeStartingAnything() {
        assertOneLineError(execute("run", "--internal-secret-file", "/nonexistent/secret",
                "--bootstrap-servers", "127.0.0.1:1"), "--internal-secret-file");
    }

    @Test
    void rejectsZeroStreamThreadsBeforeStartingAnything() {
        assertOneLineError(execute("run", "--stream-threads", "0", "--bootstrap-servers", "127.0.0.1:1"),
                "--stream-threads must be 1..64, was 0");
    }

    @Test
    void rejectsABrokenPricesFileNamingItsLineBeforeStartingAnything() throws Exception {
        java.nio.file.Path prices = java.nio.file.Files.createTempFile("prices", ".csv");
        try {
            java.nio.file.Files.writeString(prices, "# prices\n"
                    + "provider,model,valid_from,input,cached_input,cache_write_input,output\n"
                    + "openai,gpt-4o,2024-08-06,2.50,1.25,,ten\n");
            assertOneLineError(execute("run", "--prices-file", prices.toString(), "--bootstrap-servers", "127.0.0.1:1"),
                    "--prices-file", prices + " line 3", "output price");
        } finally {
            java.nio.file.Files.delete(prices);
        }
    }

    /** A bad setting: exit code 2 and one line on stderr that names it. */
    private void assertOneLineError(int code, String... fragments) {
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).contains(fragments);
    }

    @Test
    void rejectsAnUnknownFlag() {
        int code = execute("run", "--no-such-flag");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--no-such-flag");
    }

    @ParameterizedTest
    @ValueSource(strings = {" \t ", "ac\uD800me", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void tokenCreateRefusesAnOrgTheCodecWouldRefuse(String org) {
        assertOneLineError(execute("token", "create", "--org", org), "--org must be");
        assertThat(out.toString()).doesNotContain("td_live_");
    }

    @Test
    void tokenCreateRefusesAnOrgThatATokensFileCannotHoldAndPrintsNoToken() {
        assertOneLineError(execute("token", "create", "--org", "acme #1"), "tokens topic");
        assertThat(out.toString()).doesNotContain("td_live_");
    }

    @Test
    void tokenCreateKeepsAnIdeographicSpaceInTheOrg() {
        int code = execute("token", "create", "--org", "\tAc\u3000Me ");

        assertThat(code).isZero();
        assertThat(out.toString()).contains(" org:ac\u3000me\n");
    }

    @Test
    void tokenCreatePrintsATokenOnceAndTheTokensFileLineOfItsDigest() {
        int code = execute("token", "create", "--org", " ACME ");

        assertThat(code).isZero();
        Matcher token = Pattern.compile("(td_live_\\S+)").matcher(out.toString());
        assertThat(token.find()).isTrue();
        assertThat(out.toString()).contains(TokenDigests.sha256Hex(token.group(1)) + " org:acme");
        assertThat(token.find()).as("the token is printed once").isFalse();
    }

    @Test
    void budgetSetHelpListsItsOptionsAndTheKafkaSettingsWithTheirEnvironmentTwins() {
        int code = execute("budget", "set", "--help");

        assertThat(code).isZero();
        String help = out.toString().replaceAll("\\s+", "");
        assertThat(help).contains("--org=ORG", "--monthly-usd=USD", "--time-zone=ZONE");
        assertThat(help).contains("--bootstrap-servers", "TOKENID_BOOTSTRAP_SERVERS", "Default:localhost:9092");
        assertThat(help).contains("--budgets-topic", "TOKENID_BUDGETS_TOPIC", "Default:api-budgets");
    }

    @Test
    void budgetDeleteHelpListsItsOptions() {
        int code = execute("budget", "delete", "--help");

        assertThat(code).isZero();
        String help = out.toString().replaceAll("\\s+", "");
        assertThat(help).contains("--org=ORG", "--bootstrap-servers", "--budgets-topic", "Default:api-budgets");
        assertThat(help).doesNotContain("--monthly-usd");
    }

    @Test
    void budgetIsListedNextToToken() {
        execute("--help");

        assertThat(out.toString()).contains("token", "budget");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e3", "-5", "1,000", " 1000", "01000", ""})
    void budgetSetRefusesAnAmountThatIsNoPlainDecimalBeforeConnecting(String usd) {
        assertOneLineError(execute("budget", "set", "--org", "acme", "--monthly-usd", usd,
                "--bootstrap-servers", "127.0.0.1:1"), "--monthly-usd must be a plain decimal");
    }

    @Test
    void budgetSetRefusesMoreThanNineDecimalsAndMoreThanTenToTheTwelveUsd() {
        assertOneLineError(execute("budget", "set", "--org", "acme", "--monthly-usd", "1.0000000001",
                "--bootstrap-servers", "127.0.0.1:1"), "--monthly-usd has 10 digits after the point; at most 9");
        err.getBuffer().setLength(0);
        assertOneLineError(execute("budget", "set", "--org", "acme", "--monthly-usd", "1000000000000.5",
                "--bootstrap-servers", "127.0.0.1:1"), "--monthly-usd must be at most 1000000000000 USD");
    }

    @Test
    void budgetSetRefusesAnOffsetOrAMisspeltZoneAndSuggestsTheSpelling() {
        assertOneLineError(execute("budget", "set", "--org", "acme", "--monthly-usd", "10", "--time-zone", "+01:00",
                "--bootstrap-servers", "127.0.0.1:1"), "--time-zone must be a time-zone region id");
        err.getBuffer().setLength(0);
        assertOneLineError(execute("budget", "set", "--org", "acme", "--monthly-usd", "10", "--time-zone",
                "europe/berlin", "--bootstrap-servers", "127.0.0.1:1"), "did you mean Europe/Berlin?");
    }

    @Test
    void budgetSetAndDeleteRefuseAnOrgTheCodecWouldRefuse() {
        assertOneLineError(execute("budget", "set", "--org", " \t ", "--monthly-usd", "10",
                "--bootstrap-servers", "127.0.0.1:1"), "--org must be");
        err.getBuffer().setLength(0);
        assertOneLineError(execute("budget", "delete", "--org", "ac\uD800me", "--bootstrap-servers", "127.0.0.1:1"),
                "--org must be");
    }

    @Test
    void budgetSetNeedsAnOrgAndAnAmount() {
        assertOneLineError(execute("budget", "set", "--org", "acme"), "--monthly-usd");
        err.getBuffer().setLength(0);
        assertOneLineError(execute("budget", "set", "--monthly-usd", "10"), "--org");
    }

    @Test
    void budgetSetWritesTheNormalisedOrgAndTheAmountAsAJsonString() {
        assertThat(BudgetCommand.orgKey(" ACME ")).isEqualTo("acme");
        assertThat(new String(BudgetCommand.valueOf("2500.50", "Europe/Berlin"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"monthly_usd\":\"2500.50\",\"time_zone\":\"Europe/Berlin\"}");
        assertThat(new String(BudgetCommand.valueOf("0", null), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"monthly_usd\":\"0\"}");
    }
}
