package id.audit.tokenid.app.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal sampling profiler of one application's stream thread: a stack trace through
 * {@link ThreadMXBean} at a fixed period, counted three ways: the phase of the stream thread's
 * loop, the topmost frame in our, Kafka's, RocksDB's or Jackson's packages ("self"), and each
 * method of our code, and of Kafka Streams' stores and RocksDB, once per sample it is on the
 * stack ("on stack"). Samples are taken at safepoints, so "self" leans towards frames that reach one
 * often; read it as where the time goes, not to the percent. A sample counts whether or not the
 * thread had a CPU at the time: a RUNNABLE thread may be waiting for one.
 */
final class StackSampler implements AutoCloseable {

    private static final List<String> WATCHED = List.of(
            "id.audit.tokenid.", "org.apache.kafka.", "org.rocksdb.", "com.fasterxml.jackson.");
    private static final String OURS = "id.audit.tokenid.";
    private static final List<String> STORES = List.of("org.apache.kafka.streams.state.", "org.rocksdb.");

    private final String applicationId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-stack-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Integer> phases = new HashMap<>();
    private final Map<String, Integer> self = new HashMap<>();
    private final Map<String, Integer> oursOnStack = new HashMap<>();
    private final Map<String, Integer> storesOnStack = new HashMap<>();
    private final Map<String, Integer> pollPaths = new HashMap<>();
    private final Map<Thread.State, Integer> states = new EnumMap<>(Thread.State.class);
    private long threadId = -1;
    private int samples;

    private StackSampler(String applicationId) {
        this.applicationId = applicationId;
    }

    static StackSampler start(String applicationId, Duration period) {
        StackSampler sampler = new StackSampler(applicationId);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    private synchronized void sample() {
        if (threadId < 0) {
            StreamsRun.streamThread(applicationId).ifPresent(thread -> threadId = thread.getId());
            if (threadId < 0) {
                return;
            }
        }
        ThreadInfo info = threads.getThreadInfo(threadId, Integer.MAX_VALUE);
        if (info == null) {
            return; // the thread has ended
        }
        samples++;
        states.merge(info.getThreadState(), 1, Integer::sum);
        StackTraceElement[] stack = info.getStackTrace();
        String phase = phase(stack);
        phases.merge(phase, 1, Integer::sum);
        if (phase.startsWith("polling")) {
            pollPaths.merge(pollPath(stack), 1, Integer::sum);
        }
        boolean selfFound = false;
        Set<String> seen = new HashSet<>();
        for (StackTraceElement frame : stack) {
            if (!selfFound && WATCHED.stream().anyMatch(frame.getClassName()::startsWith)) {
                self.merge(shortName(frame), 1, Integer::sum);
                selfFound = true;
            }
            String name = shortName(frame);
            if (frame.getClassName().startsWith(OURS) && seen.add(name)) {
                oursOnStack.merge(name, 1, Integer::sum);
            } else if (STORES.stream().anyMatch(frame.getClassName()::startsWith) && seen.add(name)) {
                storesOnStack.merge(name, 1, Integer::sum);
            }
        }
    }

    /** The frames from {@code pollPhase} up to the top of the stack, by simple class name. */
    private static String pollPath(StackTraceElement[] stack) {
        StringBuilder path = new StringBuilder();
        for (int i = stack.length - 1; i >= 0; i--) {
            boolean inPoll = path.length() > 0 || stack[i].getMethodName().equals("pollPhase");
            if (inPoll) {
                String type = stack[i].getClassName();
                path.append(path.length() == 0 ? "" : " > ")
                        .append(type.substring(type.lastIndexOf('.') + 1)).append('.').append(stack[i].getMethodName());
            }
        }
        return path.toString();
    }

    /** Which part of {@code StreamThread.runOnce} the sample is in. */
    private static String phase(StackTraceElement[] stack) {
        String phase = "other (rebalance, state updates, idle loop)";
        for (StackTraceElement frame : stack) {
            String type = frame.getClassName();
            String method = frame.getMethodName();
            if (type.endsWith(".TaskManager") && method.equals("commit")) {
                return "committing (flush caches and stores, producer flush, transaction commit)";
            } else if (type.endsWith(".StreamTask") && method.equals("process")) {
                phase = "processing records";
            } else if (type.endsWith(".StreamThread") && method.equals("pollPhase")) {
                phase = "polling the consumer";
            }
        }
        return phase;
    }

    /** Stops sampling and prints the thread states and the {@code top} frames of each count. */
    void print(PrintStream out, int top) {
        close();
        synchronized (this) {
            out.printf("%nStream thread of %s: %d samples; thread states %s%n", applicationId, samples, states);
            printTop(out, "phase of the stream thread's loop", phases, top);
            printTop(out, "self: topmost frame in tokenid / Kafka / RocksDB / Jackson code", self, top);
            printTop(out, "on stack: samples with the method of our code on the stack", oursOnStack, top);
            printTop(out, "on stack: samples with the method of Streams' stores or RocksDB on the stack", storesOnStack, top);
            printTop(out, "call paths while polling, from StreamThread.pollPhase to the top frame", pollPaths, 6);
        }
    }

    private void printTop(PrintStream out, String title, Map<String, Integer> counts, int top) {
        out.printf("  %s%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }

    private static String shortName(StackTraceElement frame) {
        String type = frame.getClassName()
                .replace("org.apache.kafka.", "o.a.k.")
                .replace("id.audit.tokenid.", "tokenid.")
                .replace("com.fasterxml.jackson.", "jackson.");
        return type + "." + frame.getMethodName();
    }

    /** Stops sampling; idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
