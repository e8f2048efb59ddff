package id.audit.tokenid.app.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A minimal sampling profiler of the request threads of an HTTP server (threads whose name
 * starts with a prefix): a stack through {@link ThreadMXBean} at a fixed period. A thread parked
 * in its pool waiting for work is idle and not counted; for the others, the topmost frame
 * ("self") and every method of interest on the stack ("on stack") are counted once per
 * sample. Samples are taken at safepoints: read it as where the time goes, not to the percent.
 * It costs the measured threads safepoint pauses, so the timed runs are never sampled.
 */
final class ScrapeThreadSampler implements AutoCloseable {

    private static final List<String> WATCHED = List.of("id.audit.tokenid.", "org.apache.kafka.", "org.rocksdb.",
            "io.prometheus.", "sun.net.httpserver.", "java.security.", "sun.security.");

    private final String prefix;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-scrape-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Integer> self = new HashMap<>();
    private final Map<String, Integer> onStack = new HashMap<>();
    private long[] ids = new long[0];
    private int ticks;
    private int busy;

    private ScrapeThreadSampler(String prefix) {
        this.prefix = prefix;
    }

    static ScrapeThreadSampler start(String threadNamePrefix, Duration period) {
        ScrapeThreadSampler sampler = new ScrapeThreadSampler(threadNamePrefix);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return sampler;
    }

    private synchronized void sample() {
        if (ticks++ % 50 == 0) {
            // Pools start threads on demand: look for new ones now and then, by name only.
            ids = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                    .filter(info -> info != null && info.getThreadName().startsWith(prefix))
                    .mapToLong(ThreadInfo::getThreadId)
                    .toArray();
        }
        for (ThreadInfo info : threads.getThreadInfo(ids, Integer.MAX_VALUE)) {
            if (info == null || isIdle(info.getStackTrace())) {
                continue;
            }
            busy++;
            StackTraceElement[] stack = info.getStackTrace();
            self.merge(shortName(stack[0]), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (StackTraceElement frame : stack) {
                if (WATCHED.stream().anyMatch(frame.getClassName()::startsWith)) {
                    String name = shortName(frame);
                    if (seen.add(name)) {
                        onStack.merge(name, 1, Integer::sum);
                    }
                }
            }
        }
    }

    private static boolean isIdle(StackTraceElement[] stack) {
        return stack.length == 0 || Arrays.stream(stack).anyMatch(frame ->
                frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                        && frame.getMethodName().equals("getTask"));
    }

    /** Stops sampling and prints how often a thread was busy, and the {@code top} frames. */
    void print(PrintStream out, String title, int top) {
        close();
        synchronized (this) {
            out.printf("%n%s: %d ticks, a %s* thread busy in %d of them (%.0f%%)%n", title, ticks, prefix, busy,
                    100.0 * busy / Math.max(1, ticks));
            printTop(out, "self: topmost frame, share of busy samples", self, top);
            printTop(out, "on stack: share of busy samples with the method anywhere on the stack", onStack, top);
        }
    }

    private void printTop(PrintStream out, String title, Map<String, Integer> counts, int top) {
        out.printf("  %s%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, busy), e.getKey()));
    }

    private static String shortName(StackTraceElement frame) {
        String type = frame.getClassName()
                .replace("org.apache.kafka.", "o.a.k.")
                .replace("id.audit.tokenid.", "tokenid.")
                .replace("io.prometheus.metrics.", "prom.");
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
