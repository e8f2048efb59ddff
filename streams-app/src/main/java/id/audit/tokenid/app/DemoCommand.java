package id.audit.tokenid.app;

import id.audit.tokenid.app.config.AppConfig;
import id.audit.tokenid.app.config.ServiceOptions;
import id.audit.tokenid.app.demo.Closer;
import id.audit.tokenid.app.demo.DemoBanner;
import id.audit.tokenid.app.demo.DemoTokens;
import id.audit.tokenid.app.demo.EmbeddedBroker;
import id.audit.tokenid.app.demo.ServiceCounters;
import id.audit.tokenid.app.demo.TempDir;
import id.audit.tokenid.app.demo.TrafficGenerator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the real service on an embedded single-node Kafka broker (KRaft, in this JVM),
 * with sample traffic, a freshly minted demo token and the curl line to try (SPEC §5). Ctrl-C
 * stops the generator, the service and the broker, in that order, and deletes the temp dir.
 *
 * <p>Over 200 lines: it is the demo's whole life (flags, broker, service, traffic, banner,
 * ordered shutdown) as one sequence a reader follows top to bottom.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the service on an embedded single-node Apache Kafka broker (KRaft mode, in this JVM) with sample "
                    + "traffic; prints a demo token for org 'acme', the curl line to try and a prometheus.yml snippet.",
            "Takes the flags of 'run'. Here --bootstrap-servers only sets the embedded broker's port (default: a free "
                    + "port), --advertised-address defaults to localhost:<http-port>, and the broker's data, the state "
                    + "and the tokens file live in a temp dir deleted on exit, unless --state-dir is given (then they "
                    + "are kept there). --tokens-file has the demo tokens appended to it.",
            "With --traffic-only, runs only the traffic generator against the cluster of --bootstrap-servers."})
final class DemoCommand implements Callable<Integer> {

    private static final int PARTITIONS = 4;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    @Mixin
    ServiceOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-traffic", defaultValue = "${env:TOKENID_DEMO_NO_TRAFFIC:-false}",
            description = "Do not generate sample traffic. Env TOKENID_DEMO_NO_TRAFFIC. Default: ${DEFAULT-VALUE}.")
    boolean noTraffic;

    @Option(names = "--traffic-only", defaultValue = "${env:TOKENID_DEMO_TRAFFIC_ONLY:-false}",
            description = "Only produce sample traffic to --input-topic on --bootstrap-servers: no broker, no service. "
                    + "Env TOKENID_DEMO_TRAFFIC_ONLY. Default: ${DEFAULT-VALUE}.")
    boolean trafficOnly;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "${env:TOKENID_DEMO_RATE:-50}",
            description = "Sample events per second. Env TOKENID_DEMO_RATE. Default: ${DEFAULT-VALUE}.")
    double rate;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        quietLogs();
        if (noTraffic && trafficOnly) {
            throw new IllegalArgumentException("--no-traffic and --traffic-only exclude each other");
        }
        if (!(rate > 0 && rate <= 10_000)) {
            throw new IllegalArgumentException("--rate must be more than 0 and at most 10000 events/s, was " + rate);
        }
        AppConfig given = options.toConfig();
        ShutdownSignal signal = ShutdownSignal.install();
        try {
            if (trafficOnly) {
                trafficOnly(given, signal);
            } else {
                demo(given, signal);
            }
            return 0;
        } finally {
            signal.done();
        }
    }

    private void trafficOnly(AppConfig config, ShutdownSignal signal) throws InterruptedException {
        try (TrafficGenerator traffic = TrafficGenerator.start(config.bootstrapServers(), config.inputTopic(), rate)) {
            out.println(DemoBanner.trafficOnly(rate, config.inputTopic(), config.bootstrapServers()));
            while (!signal.await(PROGRESS_EVERY)) {
                out.println(DemoBanner.trafficOnlyProgress(LocalTime.now(), traffic.produced(), traffic.producedBad(),
                        traffic.failed()));
            }
            out.println("Stopping...");
        }
    }

    private void demo(AppConfig given, ShutdownSignal signal) throws Exception {
        boolean keepData = isGiven("--state-dir", "TOKENID_STATE_DIR");
        try (Closer closer = new Closer()) {
            Path dataDir = keepData ? given.stateDir().toAbsolutePath()
                    : closer.add("temp dir", TempDir.createForDemo("demo-")).path();
            out.println("Starting an embedded Kafka broker (KRaft) in " + dataDir + " ...");
            int brokerPort = isGiven("--bootstrap-servers", "TOKENID_BOOTSTRAP_SERVERS")
                    ? portOf(given.bootstrapServers()) : 0;
            EmbeddedBroker broker = closer.add("Kafka broker", EmbeddedBroker.start(dataDir.resolve("demo-kafka"), brokerPort));
            broker.createTopics(List.of(
                    new NewTopic(given.inputTopic(), PARTITIONS, (short) 1),
                    new NewTopic(given.dlqTopic(), PARTITIONS, (short) 1),
                    new NewTopic(given.tokensTopic(), PARTITIONS, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(given.budgetsTopic(), 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(given.pricesTopic(), 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
            DemoTokens tokens = DemoTokens.mintInto(given.tokensFile().orElse(dataDir.resolve("demo-tokens.txt")));
            AppConfig config = demoConfig(given, broker.bootstrapServers(), tokens.file(), dataDir, keepData);

            out.println("Starting the service (Kafka Streams, /metrics on " + portText(config.httpPort())
                    + ", management on " + portText(config.managementPort()) + ") ...");
            Service service = closer.add("service", Service.start(config, Map.of()));
            Optional<TrafficGenerator> traffic = noTraffic ? Optional.empty()
                    : Optional.of(closer.add("traffic generator",
                            TrafficGenerator.start(broker.bootstrapServers(), config.inputTopic(), rate)));
            if (!awaitReady(service, signal)) {
                return;
            }
            out.println(DemoBanner.ready(new DemoBanner.Setup(broker.bootstrapServers(), config.inputTopic(),
                    config.dlqTopic(), config.tokensTopic(), service.httpPort(), service.managementPort(),
                    dataDir.toString(), !keepData, tokens.file().toString(),
                    traffic.map(t -> rate)), tokens));
            reportProgress(traffic, new ServiceCounters(service.managementPort()), signal);
            out.println("Stopping the traffic generator, the service and the broker ...");
        }
        out.println("Stopped.");
    }

    /**
     * The service's config in the demo: the embedded broker, the demo tokens. A port of 0 stays
     * 0: the servers bind a free port and the banner prints the one they got.
     */
    private AppConfig demoConfig(AppConfig given, String bootstrapServers, Path tokensFile, Path dataDir,
                                 boolean keepData) {
        int httpPort = given.httpPort();
        int managementPort = given.managementPort();
        AppConfig.Endpoint advertised = isGiven("--advertised-address", "TOKENID_ADVERTISED_ADDRESS")
                ? given.advertisedAddress() : new AppConfig.Endpoint("localhost", httpPort);
        Path stateDir = keepData ? given.stateDir() : dataDir.resolve("state");
        return new AppConfig(bootstrapServers, given.inputTopic(), given.dlqTopic(), given.tokensTopic(),
                Optional.of(tokensFile), given.applicationId(), stateDir, httpPort, managementPort, advertised,
                given.standbyReplicas(), given.streamThreads(), given.dedupWindow(), given.bucket())
                .withBudgetsTopic(given.budgetsTopic())
                .withPrices(given.pricesFile(), given.pricesTopic())
                .withMaxSeriesPerOrg(given.maxSeriesPerOrg());
    }

    private boolean awaitReady(Service service, ShutdownSignal signal) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!service.isReady()) {
            if (signal.await(Duration.ofMillis(250))) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not become ready within "
                        + READY_TIMEOUT.toSeconds() + " s (see the log above)");
            }
        }
        return true;
    }

    private void reportProgress(Optional<TrafficGenerator> traffic, ServiceCounters counters, ShutdownSignal signal)
            throws InterruptedException {
        while (!signal.await(PROGRESS_EVERY)) {
            out.println(DemoBanner.progress(LocalTime.now(),
                    traffic.map(TrafficGenerator::produced).orElse(0L),
                    traffic.map(TrafficGenerator::producedBad).orElse(0L),
                    traffic.map(TrafficGenerator::failed).orElse(0L),
                    traffic.isPresent(), counters.read()));
        }
    }

    private static String portText(int port) {
        return port == 0 ? "a free port" : "port " + port;
    }

    /** Whether the user set this option, by flag or by its environment twin. */
    private boolean isGiven(String flag, String env) {
        String fromEnv = System.getenv(env);
        return spec.commandLine().getParseResult().hasMatchedOption(flag) || (fromEnv != null && !fromEnv.isBlank());
    }

    /** The port of the first {@code host:port} of a bootstrap list. */
    static int portOf(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0].trim();
        try {
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--bootstrap-servers must be host:port in the demo, was '"
                    + bootstrapServers + "'");
        }
    }

    /**
     * The broker and the clients log a lot at INFO; the demo's own output is what matters here.
     * slf4j-simple reads these when the first logger is made; -D on the command line wins.
     */
    private static void quietLogs() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.id.audit.tokenid", "info");
        // The embedded broker's controller says "Performing controller activation. The metadata
        // log appears to be empty" at WARN on every fresh start: Kafka's own, expected for a
        // just-formatted cluster and harmless (its level was questioned when it was written:
        // https://github.com/apache/kafka/pull/12513). Its errors still show.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController", "error");
        // When two stream threads start their first transactions at once, both make the embedded
        // broker create __transaction_state; the one that loses the race logs TOPIC_ALREADY_EXISTS
        // at WARN. Kafka's own, and harmless: the topic exists, both producers go on.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.server.DefaultAutoTopicCreationManager", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
