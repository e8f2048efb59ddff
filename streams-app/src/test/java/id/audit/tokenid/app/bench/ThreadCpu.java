package id.audit.tokenid.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where this process's CPU went over a run, by thread: Linux's {@code /proc/self/task/<tid>/stat}
 * (user and system ticks of every thread, native ones included: RocksDB's background threads, the
 * GC, the JIT), grouped by thread name with digits left out ({@code data-plane-kafka-request-handler-3}
 * counts with the other handlers; Linux keeps the first 15 characters of a name). The benchmark's
 * broker runs in this JVM, so this tells its share of the two cores from the application's.
 */
final class ThreadCpu {

    /** {@code /proc} counts in USER_HZ ticks, 100 a second on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final Map<String, Long> ticksByThread;

    private ThreadCpu(Map<String, Long> ticksByThread) {
        this.ticksByThread = ticksByThread;
    }

    static ThreadCpu snapshot() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] after = stat.substring(close + 2).split(" ");
                    // after[0] is field 3 (state): utime is field 14, stime field 15.
                    long used = Long.parseLong(after[11]) + Long.parseLong(after[12]);
                    ticks.put(task.getFileName() + " " + stat.substring(open + 1, close), used);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            return new ThreadCpu(Map.of());
        }
        return new ThreadCpu(ticks);
    }

    /** Cores used since this snapshot by each group of threads, the busiest first, over {@code wallNanos}. */
    String coresSince(long wallNanos, int groups) {
        Map<String, Long> now = snapshot().ticksByThread;
        if (now.isEmpty()) {
            return "(no /proc/self/task here)";
        }
        Map<String, Long> byGroup = new HashMap<>();
        now.forEach((thread, ticks) -> {
            long used = ticks - ticksByThread.getOrDefault(thread, 0L);
            if (used > 0) {
                String name = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]", "");
                byGroup.merge(name, used, Long::sum);
            }
        });
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byGroup.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder out = new StringBuilder();
        long rest = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double cores = sorted.get(i).getValue() * (double) NANOS_PER_TICK / wallNanos;
            if (i < groups) {
                out.append(String.format("%s%s %.2f", i == 0 ? "" : ", ", sorted.get(i).getKey(), cores));
            } else {
                rest += sorted.get(i).getValue();
            }
        }
        if (rest > 0) {
            out.append(String.format(", the rest %.2f", rest * (double) NANOS_PER_TICK / wallNanos));
        }
        return out.toString();
    }
}
