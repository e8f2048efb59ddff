package id.audit.tokenid.app.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.ConsumerPerformance;

/**
 * Kafka's own {@code kafka-consumer-perf-test} ({@link ConsumerPerformance}) with a fresh group,
 * either in a JVM of its own, as the script runs it ({@link #runInFreshJvm}), or in this JVM
 * ({@link #run}), where earlier runs have warmed up the client code. Its result line is parsed
 * from what it prints; the run is also timed here with {@link System#nanoTime()}.
 *
 * @param toolEventsPerSecond  the tool's {@code nMsg.sec}: records over its whole run, joining
 *                             the group included
 * @param fetchEventsPerSecond the tool's {@code fetch.nMsg.sec}: the same without the join
 * @param cores                CPU of this process (with the broker) over the run (see {@link CpuClock})
 * @param otherCores           CPU of every other process on the machine over the run, the tool's
 *                             own JVM included when it runs in one
 */
record ConsumerPerfRun(long records, double toolEventsPerSecond, double fetchEventsPerSecond,
                       long rebalanceMillis, long wallNanos, double cores, double otherCores) {

    /** Like {@code bin/kafka-consumer-perf-test.sh}: a new JVM (heap 512 MiB, as the script sets). */
    static ConsumerPerfRun runInFreshJvm(String bootstrapServers, String topic, long records) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512M",
                "-cp", System.getProperty("java.class.path"), ConsumerPerformance.class.getName()));
        command.addAll(java.util.List.of(arguments(bootstrapServers, topic, records)));
        CpuClock cpu = CpuClock.start();
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        int status = process.waitFor();
        long wall = System.nanoTime() - started;
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.print(text);
        if (status != 0) {
            throw new IllegalStateException("ConsumerPerformance exited with status " + status + ":\n" + text);
        }
        return parse(text, records, wall, cpu.coresSince(wall), cpu.otherCoresSince(wall));
    }

    static ConsumerPerfRun run(String bootstrapServers, String topic, long records) {
        String[] args = arguments(bootstrapServers, topic, records);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        // The tool calls Exit.exit(1) on failure; make that an exception instead of the JVM's end.
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("ConsumerPerformance exited with status " + code + ": " + message);
        });
        CpuClock cpu = CpuClock.start();
        long started = System.nanoTime();
        try {
            System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
            ConsumerPerformance.main(args);
        } finally {
            System.setOut(console);
            Exit.resetExitProcedure();
        }
        long wall = System.nanoTime() - started;
        return parse(captured.toString(StandardCharsets.UTF_8), records, wall, cpu.coresSince(wall),
                cpu.otherCoresSince(wall));
    }

    private static String[] arguments(String bootstrapServers, String topic, long records) {
        return new String[] {
                "--bootstrap-server", bootstrapServers,
                "--topic", topic,
                // --messages is deprecated in 4.x in favour of --num-records; same meaning.
                "--num-records", Long.toString(records),
                "--group", "bench-consumer-perf-" + UUID.randomUUID(),
                "--timeout", "60000"};
    }

    /**
     * The result line: {@code start.time, end.time, data.consumed.in.MB, MB.sec,
     * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec}.
     */
    private static ConsumerPerfRun parse(String output, long expected, long wallNanos, double cores,
                                         double otherCores) {
        String[] lines = output.strip().split("\\R");
        String[] fields = lines[lines.length - 1].split(",\\s*");
        if (output.contains("WARNING") || fields.length != 10) {
            throw new IllegalStateException("unexpected ConsumerPerformance output:\n" + output);
        }
        long consumed = Long.parseLong(fields[4]);
        if (consumed < expected) {
            throw new IllegalStateException("ConsumerPerformance read " + consumed + " of " + expected + " records");
        }
        return new ConsumerPerfRun(consumed, Double.parseDouble(fields[5]), Double.parseDouble(fields[9]),
                Long.parseLong(fields[6]), wallNanos, cores, otherCores);
    }

    /** Writes to the console and to a capture buffer. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
