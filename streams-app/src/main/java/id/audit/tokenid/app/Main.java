package id.audit.tokenid.app;

import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.config.ServiceOptions;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.schemas.TextRules;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar tokenid-metrics.jar run | demo | token create | budget set|delete}: wires and shuts down. */
@Command(name = "tokenid-metrics", mixinStandardHelpOptions = true,
        description = "Per-organisation Prometheus metrics of LLM API spend, from api_call events on Kafka.",
        subcommands = {Main.Run.class, DemoCommand.class, Main.Token.class, BudgetCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI with one-line errors for bad flags and values (exit 2), usage via --help. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("tokenid-metrics: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof IllegalArgumentException) {
                err.println("tokenid-metrics: " + ex.getMessage());
                return 2;
            }
            err.println("tokenid-metrics: failed: " + ex);
            return 1;
        });
        return cli;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the service against a Kafka cluster.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ServiceOptions options;

        @Override
        public Integer call() throws Exception {
            AppConfig config = options.toConfig();
            ShutdownSignal shutdown = ShutdownSignal.install();
            try (Service service = Service.start(config, Map.of())) {
                shutdown.await();
            } finally {
                shutdown.done();
            }
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
            subcommands = {Token.Create.class})
    static final class Token implements Runnable {
        @Override
        public void run() {
            CommandLine.usage(this, System.out);
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Mint a token: prints it once, and the tokens-file line that admits it.")
        static final class Create implements Callable<Integer> {
            @Option(names = "--org", paramLabel = "ORG", description = "The org the token reads.")
            String org;

            @Option(names = "--admin", description = "A token that reads every org.")
            boolean admin;

            @Spec
            CommandSpec spec;

            @Override
            public Integer call() {
                if (admin == (org != null)) {
                    throw new IllegalArgumentException("token create needs exactly one of --org ORG or --admin");
                }
                Principal principal = admin ? Principal.admin() : Principal.org(normalise(org));
                String token = Tokens.mint();
                // Before printing anything: an org id a tokens file cannot hold fails here.
                String line = TokensFile.formatLine(TokenDigests.sha256Hex(token), principal);
                PrintWriter out = spec.commandLine().getOut();
                out.println("token (shown once, store it as a secret): " + token);
                out.println("tokens-file line: " + line);
                out.flush();
                return 0;
            }

            /** The codec's org-id rule, so the token reads the org its events are counted in. */
            private static String normalise(String org) {
                String value = TextRules.orgIdOrNull(org);
                if (value == null) {
                    throw new IllegalArgumentException("--org must be 1.." + TextRules.MAX_ORG_ID_CODE_POINTS
                            + " characters of valid Unicode, not blank");
                }
                return value;
            }
        }
    }
}
