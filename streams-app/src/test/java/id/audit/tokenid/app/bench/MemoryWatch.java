package id.audit.tokenid.app.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Memory of this JVM over one phase of a benchmark: heap used (sampled every 50 ms, and the sum
 * of the heap pools' peaks from {@link MemoryPoolMXBean}), heap still used after each GC, RSS
 * (sampled {@code VmRSS}, and {@code VmHWM} from /proc/self/status, reset at the phase's start
 * through /proc/self/clear_refs where the kernel allows it), and every GC pause from the GC
 * notifications (concurrent cycles, which pause nothing, left out).
 */
final class MemoryWatch implements AutoCloseable {

    /** What one phase saw. Bytes and milliseconds. */
    record Figures(long heapUsedPeak, long heapPoolPeaks, long heapAfterGcPeak, long rssPeak, long vmHwm,
                   boolean hwmReset, int pauses, double pauseP50, double pauseP99, double pauseMax,
                   double pausedMillis) {
    }

    private final List<Long> pauses = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private final Thread sampler;
    private volatile long heapUsedPeak;
    private volatile long heapAfterGcPeak;
    private volatile long rssPeak;
    private volatile boolean running = true;
    private boolean hwmReset;

    MemoryWatch() {
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (info.getGcName().contains("Concurrent")) {
                return;
            }
            pauses.add(info.getGcInfo().getDuration());
            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            heapAfterGcPeak = Math.max(heapAfterGcPeak, after);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            NotificationEmitter emitter = (NotificationEmitter) gc;
            emitter.addNotificationListener(listener, null, null);
            unsubscribe.add(() -> {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (Exception ignored) {
                    // the JVM is ending the benchmark anyway
                }
            });
        }
        sampler = new Thread(this::sample, "memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts a new phase: every peak from now on. */
    void reset() {
        pauses.clear();
        heapUsedPeak = 0;
        heapAfterGcPeak = 0;
        rssPeak = 0;
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            hwmReset = true;
        } catch (IOException | RuntimeException e) {
            hwmReset = false;
        }
    }

    Figures figures() {
        long poolPeaks = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        List<Long> sorted;
        synchronized (pauses) {
            sorted = new ArrayList<>(pauses);
        }
        Collections.sort(sorted);
        return new Figures(heapUsedPeak, poolPeaks, heapAfterGcPeak, rssPeak, status("VmHWM:"), hwmReset,
                sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
                sorted.stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public void close() {
        running = false;
        unsubscribe.forEach(Runnable::run);
    }

    private void sample() {
        while (running) {
            heapUsedPeak = Math.max(heapUsedPeak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            rssPeak = Math.max(rssPeak, status("VmRSS:"));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A "kB" line of /proc/self/status, in bytes; -1 where there is none. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }
}
