package id.audit.tokenid.app;

import id.audit.tokenid.app.budgets.BudgetRecord;
import id.audit.tokenid.app.budgets.BudgetTopicWriter;
import id.audit.tokenid.app.config.ServiceOptions;
import id.audit.tokenid.schemas.TextRules;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code budget set | delete}: writes an org's monthly budget, or its removal (a tombstone), to
 * the budgets topic, which every instance reads. The value is checked by the same rule the
 * instances apply ({@link BudgetRecord}) before anything is sent, so what this command accepts
 * is a budget everywhere.
 */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "Set or remove an org's monthly budget (the budgets topic; every instance reads it).",
        subcommands = {BudgetCommand.SetBudget.class, BudgetCommand.DeleteBudget.class})
final class BudgetCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Where the budget goes: the cluster and the topic the instances read. */
    static final class Target {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
                defaultValue = ServiceOptions.BOOTSTRAP_SERVERS_DEFAULT,
                description = "Kafka bootstrap servers. Env TOKENID_BOOTSTRAP_SERVERS. Default: ${DEFAULT-VALUE}.")
        String bootstrapServers;

        @Option(names = "--budgets-topic", paramLabel = "TOPIC", defaultValue = ServiceOptions.BUDGETS_TOPIC_DEFAULT,
                description = "Compacted topic of org budgets. Env TOKENID_BUDGETS_TOPIC. Default: ${DEFAULT-VALUE}.")
        String budgetsTopic;

        BudgetTopicWriter.Written write(String org, byte[] value) {
            return BudgetTopicWriter.write(bootstrapServers, budgetsTopic, org, value);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Set an org's budget per calendar month, counted in a time zone's months (default UTC).")
    static final class SetBudget implements Callable<Integer> {
        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The org (trimmed, lowercased).")
        String org;

        @Option(names = "--monthly-usd", required = true, paramLabel = "USD",
                description = "Budget per month in USD, plain decimal with at most 9 decimals, 0..1000000000000.")
        String monthlyUsd;

        @Option(names = "--time-zone", paramLabel = "ZONE",
                description = "Region id of the time zone whose months count, e.g. Europe/Berlin. Default: UTC.")
        String timeZone;

        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String key = orgKey(org);
            byte[] value = valueOf(monthlyUsd, timeZone);
            BudgetTopicWriter.Written written = target.write(key, value);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + where(written) + ": key " + BudgetRecord.shown(key) + " value "
                    + new String(value, StandardCharsets.UTF_8));
            out.println("org " + BudgetRecord.shown(key) + " has a budget of " + monthlyUsd + " USD per calendar month in "
                    + (timeZone == null ? "UTC" : timeZone) + " once the instances read it (seconds)");
            warnIfNotCompacted(written);
            out.flush();
            return 0;
        }

        private void warnIfNotCompacted(BudgetTopicWriter.Written written) {
            if (written.compacted().equals(Optional.of(false))) {
                spec.commandLine().getErr().println("tokenid-metrics: warning: topic '" + written.topic()
                        + "' is not compacted: budgets are lost once its retention deletes them");
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Remove an org's budget (writes a tombstone).")
    static final class DeleteBudget implements Callable<Integer> {
        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The org (trimmed, lowercased).")
        String org;

        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            String key = orgKey(org);
            BudgetTopicWriter.Written written = target.write(key, null);
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + where(written) + ": key " + BudgetRecord.shown(key) + " tombstone");
            out.println("org " + BudgetRecord.shown(key) + " has no budget once the instances read it (seconds)");
            out.flush();
            return 0;
        }
    }

    /** The record key: the codec's org-id rule, so the budget lands on the org its events are counted in. */
    static String orgKey(String org) {
        String key = TextRules.orgIdOrNull(org);
        if (key == null) {
            throw new IllegalArgumentException("--org must be 1.." + TextRules.MAX_ORG_ID_CODE_POINTS
                    + " characters of valid Unicode, not blank");
        }
        return key;
    }

    /** The record value, refused (naming the flag) by the very rule the instances apply. */
    static byte[] valueOf(String monthlyUsd, String timeZone) {
        byte[] value = BudgetRecord.toJson(monthlyUsd, timeZone).getBytes(StandardCharsets.UTF_8);
        if (BudgetRecord.parseValue(value) instanceof BudgetRecord.Rejected rejected) {
            String flag = switch (rejected.member()) {
                case BudgetRecord.MONTHLY_USD -> "--monthly-usd";
                case BudgetRecord.TIME_ZONE -> "--time-zone";
                default -> "the budget value";
            };
            throw new IllegalArgumentException(flag + " " + rejected.problem());
        }
        return value;
    }

    private static String where(BudgetTopicWriter.Written written) {
        return "to topic '" + written.topic() + "' (partition " + written.partition() + ", offset "
                + written.offset() + ", acknowledged by all in-sync replicas)";
    }
}
