package id.audit.tokenid.app.chaos;

import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.exporter.auth.Tokens;
import id.audit.tokenid.exporter.auth.TokensFile;
import id.audit.tokenid.exporter.http.InternalSecret;
import id.audit.tokenid.exporter.http.RemoteUsageClient;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A chaos run: a KRaft broker and N instances of the service as processes, traffic at a steady
 * rate with bad records and repeated ids, a scraper of every org on every instance at 10 Hz,
 * and meanwhile faults at random times: SIGKILL of random instances (each started again), SIGKILL
 * of the broker and its restart on the same data, a rolling restart (SIGTERM, start, /readyz,
 * next). At the end: totals against the generator's oracle, dead letters against the bad
 * records sent, decreases, non-200 answers, the longest gap per fault, scrape latency.
 * {@code ops/chaos.sh} runs it; the integration tests run short ones.
 */
public final class ChaosRun {

    private final ChaosOptions options;
    private final PrintStream out;
    private final Faults faults = new Faults();
    private final Random random;

    ChaosRun(ChaosOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed() * 31 + 7);
    }

    public static void main(String[] args) throws Exception {
        ChaosOptions options = ChaosOptions.parse(args);
        ChaosReport report = new ChaosRun(options, System.out).run();
        report.print(System.out);
        System.exit(report.targetsMet() ? 0 : 1);
    }

    ChaosReport run() throws Exception {
        Path dir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("tokenid-chaos");
        out.println("chaos: " + options + "; logs in " + dir);
        BrokerProcess broker = new BrokerProcess(dir.resolve("broker"), freePort(), dir.resolve("broker.log"));
        List<Instance> instances = new ArrayList<>();
        try {
            broker.start(Duration.ofMinutes(2));
            String appId = "chaos";
            createTopics(broker.bootstrapServers(), appId);
            Map<String, String> tokens = new LinkedHashMap<>();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < options.orgs(); i++) {
                String token = Tokens.mint();
                tokens.put(ChaosTraffic.org(i), token);
                lines.add(TokensFile.formatLine(TokenDigests.sha256Hex(token), Principal.org(ChaosTraffic.org(i))));
            }
            Path tokensFile = Files.write(dir.resolve("tokens.txt"), lines);
            String secret = "chaos run internal secret, at least 32 bytes";
            Path secretFile = Files.writeString(dir.resolve("internal-secret"), secret + "\n");
            List<String> shared = new ArrayList<>(List.of(
                    "--bootstrap-servers", broker.bootstrapServers(), "--application-id", appId,
                    "--input-topic", appId + "-calls", "--dlq-topic", appId + "-calls.dlq",
                    "--tokens-topic", appId + "-tokens", "--tokens-file", tokensFile.toString(),
                    "--budgets-topic", appId + "-budgets",
                    "--prices-topic", appId + "-prices",
                    "--internal-secret-file", secretFile.toString(),
                    "--standby-replicas", Integer.toString(options.standbyReplicas())));
            shared.addAll(options.instanceArgs());
            for (int i = 0; i < options.instances(); i++) {
                instances.add(new Instance(i, freePort(), freePort(), shared, dir));
            }
            for (Instance instance : instances) {
                instance.start();
            }
            for (Instance instance : instances) {
                require(instance.awaitReady(Duration.ofMinutes(3)), instance.name() + " did not become ready");
            }
            RemoteUsageClient internal = RemoteUsageClient.withDefaults(
                    InternalSecret.of(secret.getBytes(StandardCharsets.UTF_8)));
            ChaosTraffic traffic = new ChaosTraffic(options.seed(), options.orgs(), options.partitions());
            List<Integer> ports = instances.stream().map(i -> i.httpPort).toList();
            try (Scraper scraper = new Scraper(ports, tokens, faults, 100)) {
                scraper.start();
                long trafficStart = System.nanoTime();
                Thread producer = new Thread(() -> {
                    try {
                        traffic.produce(broker.bootstrapServers(), appId + "-calls", options.events(), options.rate());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "chaos-traffic");
                producer.start();
                runFaults(trafficStart, broker, instances, scraper, internal, tokens.keySet());
                producer.join();
                long trafficSeconds = (System.nanoTime() - trafficStart) / 1_000_000_000L;
                out.printf("chaos: traffic done after %d s (%d records acknowledged, %d send errors)%n",
                        trafficSeconds, traffic.produced(), traffic.sendErrors());
                Map<String, Map<String, Double>> finals = settle(scraper, instances, traffic);
                int disagreeing = disagreeingInstances(scraper, instances, traffic);
                scraper.close();
                Map<String, Long> dlq = new TreeMap<>();
                long dlqDuplicates = readDeadLetters(broker.bootstrapServers(), appId + "-calls.dlq", traffic.bad, dlq);
                long dlqRead = dlq.values().stream().mapToLong(Long::longValue).sum();
                if (dlqRead < traffic.bad) {
                    describeDeadLetterTopic(broker.bootstrapServers(), appId + "-calls.dlq");
                }
                return ChaosReport.of(options, traffic, finals, disagreeing, dlq, dlqDuplicates, scraper,
                        faults.all(), trafficSeconds);
            }
        } finally {
            for (Instance instance : instances) {
                instance.stop();
            }
            broker.stop();
            ChildProcess.killAll();
        }
    }

    /** The faults, in a seeded random order at seeded random times of the traffic's expected duration. */
    private void runFaults(long trafficStart, BrokerProcess broker, List<Instance> instances, Scraper scraper,
                           RemoteUsageClient internal, Set<String> orgs) throws Exception {
        List<String> plan = new ArrayList<>();
        for (int i = 0; i < options.kills(); i++) {
            plan.add("kill");
        }
        for (int i = 0; i < options.brokerKills(); i++) {
            plan.add("broker");
        }
        for (int i = 0; i < options.rollingRestarts(); i++) {
            plan.add("rolling");
        }
        Collections.shuffle(plan, random);
        double seconds = (double) options.events() / options.rate();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            times.add(seconds * (0.1 + 0.75 * random.nextDouble()));
        }
        Collections.sort(times);
        for (int i = 0; i < plan.size(); i++) {
            long due = trafficStart + (long) (times.get(i) * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000L);
            }
            switch (plan.get(i)) {
                case "kill" -> killInstance(instances, scraper, internal, orgs);
                case "broker" -> killBroker(broker, instances, scraper, orgs);
                default -> rollingRestart(instances, scraper, orgs);
            }
        }
    }

    private void killInstance(List<Instance> instances, Scraper scraper, RemoteUsageClient internal,
                              Set<String> orgs) throws Exception {
        Instance victim = options.killOwnerOf() != null
                ? ownerOf(options.killOwnerOf(), instances, internal)
                : instances.get(random.nextInt(instances.size()));
        List<String> owned = owned(victim, orgs, internal);
        scraper.outOfService(victim.httpPort);
        Faults.Fault fault = faults.begin("kill -9 " + victim.name() + ", owner of " + owned);
        victim.kill();
        if (options.restartKilled()) {
            Thread.sleep(random.nextInt(5_000));
            victim.start();
            require(victim.awaitReady(Duration.ofMinutes(3)), victim.name() + " not ready after restart");
            scraper.inService(victim.httpPort);
        }
        awaitRecovery(fault, instances, scraper, orgs);
    }

    private void killBroker(BrokerProcess broker, List<Instance> instances, Scraper scraper, Set<String> orgs)
            throws Exception {
        Faults.Fault fault;
        if (options.brokerSigkill()) {
            fault = faults.begin("kill -9 broker, restart on the same data");
            broker.kill();
        } else {
            fault = faults.begin("SIGTERM broker (clean shutdown), restart on the same data");
            broker.stop();
        }
        broker.start(Duration.ofMinutes(2));
        awaitRecovery(fault, instances, scraper, orgs);
    }

    private void rollingRestart(List<Instance> instances, Scraper scraper, Set<String> orgs) throws Exception {
        Faults.Fault fault = faults.begin("rolling restart of " + instances.size() + " instances");
        for (Instance instance : instances) {
            long t0 = System.nanoTime();
            scraper.outOfService(instance.httpPort);
            if (instance.isAlive()) {
                boolean clean = instance.stop();
                if (!clean) {
                    out.println("chaos: " + instance.name() + " did not exit within 60 s of SIGTERM; killed");
                }
            }
            long t1 = System.nanoTime();
            instance.start();
            require(instance.awaitReady(Duration.ofMinutes(3)), instance.name() + " not ready after restart");
            scraper.inService(instance.httpPort);
            out.printf("chaos:   %s: exited %.1f s after SIGTERM, ready %.1f s after start%n", instance.name(),
                    (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        }
        awaitRecovery(fault, instances, scraper, orgs);
    }

    /** Every live instance ready and every org answered after the fault's last action. */
    private void awaitRecovery(Faults.Fault fault, List<Instance> instances, Scraper scraper, Set<String> orgs)
            throws InterruptedException {
        long acted = System.nanoTime();
        long deadline = acted + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready = instances.stream().filter(Instance::isAlive).allMatch(Instance::isReady);
            if (ready && orgs.stream().allMatch(org -> scraper.answeredSince(org, acted))) {
                fault.endNanos = System.nanoTime();
                out.printf("chaos: %s: recovered %.1f s after it began%n", fault.name,
                        (fault.endNanos - fault.startNanos) / 1e9);
                return;
            }
            Thread.sleep(100);
        }
        out.println("chaos: " + fault.name + ": NOT recovered within 3 minutes");
    }

    private static Instance firstAlive(List<Instance> instances) {
        return instances.stream().filter(Instance::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance is alive"));
    }

    private Instance ownerOf(String org, List<Instance> instances, RemoteUsageClient internal) {
        for (Instance instance : instances) {
            if (owns(instance, org, internal)) {
                return instance;
            }
        }
        throw new IllegalStateException("no instance owns " + org);
    }

    private List<String> owned(Instance instance, Set<String> orgs, RemoteUsageClient internal) {
        return orgs.stream().filter(org -> owns(instance, org, internal)).toList();
    }

    /** The instance's own state answers the org (its internal endpoint reads only local state). */
    private static boolean owns(Instance instance, String org, RemoteUsageClient internal) {
        return internal.fetch("127.0.0.1:" + instance.httpPort, UsageQuery.forOrg(org, Instant.now()))
                instanceof ReadResult.Found;
    }

    /**
     * Waits until every org's counters equal the oracle on the first instance, or nothing has
     * changed for a minute (then what is there is what is reported); returns the last answers.
     */
    private Map<String, Map<String, Double>> settle(Scraper scraper, List<Instance> instances, ChaosTraffic traffic)
            throws InterruptedException {
        Map<String, Map<String, Double>> last = new TreeMap<>();
        long lastChange = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < options.orgs(); i++) {
                String org = ChaosTraffic.org(i);
                Map<String, Double> now = scraper.fetchCounters(firstAlive(instances).httpPort, org);
                if (now == null) {
                    all = false;
                    continue;
                }
                if (!now.equals(last.get(org))) {
                    lastChange = System.nanoTime();
                    last.put(org, now);
                }
                all &= now.equals(traffic.expectedCounters(org));
            }
            if (all || System.nanoTime() - lastChange > Duration.ofMinutes(1).toNanos()) {
                break;
            }
            Thread.sleep(500);
        }
        return last;
    }

    private int disagreeingInstances(Scraper scraper, List<Instance> instances, ChaosTraffic traffic) {
        int disagreeing = 0;
        for (Instance instance : instances.stream().filter(Instance::isAlive).toList()) {
            for (int i = 0; i < options.orgs(); i++) {
                String org = ChaosTraffic.org(i);
                if (!traffic.expectedCounters(org).equals(scraper.fetchCounters(instance.httpPort, org))) {
                    disagreeing++;
                }
            }
        }
        return disagreeing;
    }

    /**
     * Reads the dead-letter topic (committed records only): reason → count; returns repeats.
     * A killed instance's open transaction holds the topic's last stable offset back until the
     * broker aborts it (transaction timeout), so "the end" moves: it reads until {@code expected}
     * dead letters are in and it has caught up with the end as of then, or 2 minutes pass.
     */
    private static long readDeadLetters(String bootstrap, String topic, long expected, Map<String, Long> byReason) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long repeats = 0;
        long read = 0;
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                if (read >= expected && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    Header reason = record.headers().lastHeader("tokenid.dlq.reason");
                    byReason.merge(reason == null ? "(none)" : new String(reason.value(), StandardCharsets.UTF_8),
                            1L, Long::sum);
                    if (!seen.add(new String(record.value(), StandardCharsets.UTF_8))) {
                        repeats++;
                    }
                }
            }
        }
        return repeats;
    }

    /**
     * When committed dead letters are missing, tells a hanging transaction (the last stable offset
     * stuck below the log end by a producer whose transaction never ends: the records are there,
     * invisible) from an aborted one (the records were written and thrown away): prints each
     * partition's last stable offset, log end, open transactions, and the records a
     * read_uncommitted reader sees.
     */
    private void describeDeadLetterTopic(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<byte[], byte[]> uncommitted = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> committed = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = uncommitted.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> logEnd = uncommitted.endOffsets(partitions);
            Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
            var producers = admin.describeProducers(partitions).all().get();
            for (TopicPartition partition : partitions) {
                out.printf("dead-letter diagnosis: %s last stable offset %d, log end %d%n",
                        partition, stable.get(partition), logEnd.get(partition));
                producers.get(partition).activeProducers().forEach(state -> out.printf(
                        "  producer %d epoch %d last sequence %d last write %s open transaction from offset %s%n",
                        state.producerId(), state.producerEpoch(), state.lastSequence(),
                        Instant.ofEpochMilli(state.lastTimestamp()), state.currentTransactionStartOffset()));
            }
            uncommitted.assign(partitions);
            uncommitted.seekToBeginning(partitions);
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> uncommitted.position(p) < logEnd.get(p))) {
                records += uncommitted.poll(Duration.ofMillis(500)).count();
            }
            out.printf("dead-letter diagnosis: %d records read uncommitted (committed and aborted ones)%n", records);
        } catch (Exception e) {
            out.println("dead-letter diagnosis failed: " + e);
        }
    }

    private void createTopics(String bootstrap, String appId) throws Exception {
        Map<String, String> big = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(4 << 20));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                    new NewTopic(appId + "-calls", options.partitions(), (short) 1).configs(big),
                    new NewTopic(appId + "-calls.dlq", 1, (short) 1).configs(big),
                    new NewTopic(appId + "-tokens", 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(appId + "-budgets", 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(appId + "-prices", 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
            Set<String> wanted = new TreeSet<>(List.of(appId + "-calls", appId + "-calls.dlq", appId + "-tokens",
                    appId + "-budgets", appId + "-prices"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!admin.listTopics().names().get().containsAll(wanted) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
