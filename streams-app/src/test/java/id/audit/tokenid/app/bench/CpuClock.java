package id.audit.tokenid.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time over a run: of this whole process (broker, tools and application alike, as they
 * share the JVM), and of everything else on the machine, read from Linux's {@code /proc/stat},
 * since other programs on a shared machine take cores from the run.
 */
final class CpuClock {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** {@code /proc/stat} counts in USER_HZ ticks, 100 a second on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private final long startProcessNanos;
    private final long startMachineNanos;

    private CpuClock(long startProcessNanos, long startMachineNanos) {
        this.startProcessNanos = startProcessNanos;
        this.startMachineNanos = startMachineNanos;
    }

    static CpuClock start() {
        return new CpuClock(OS.getProcessCpuTime(), machineBusyNanos());
    }

    /** Average number of cores this process kept busy over {@code wallNanos} of wall-clock time. */
    double coresSince(long wallNanos) {
        return (double) (OS.getProcessCpuTime() - startProcessNanos) / wallNanos;
    }

    /** Average number of cores that other processes kept busy; NaN where /proc/stat is missing. */
    double otherCoresSince(long wallNanos) {
        if (startMachineNanos < 0) {
            return Double.NaN;
        }
        double machine = (double) (machineBusyNanos() - startMachineNanos) / wallNanos;
        return Math.max(0, machine - coresSince(wallNanos));
    }

    static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** All CPUs' non-idle time: the first line of /proc/stat less its idle and iowait columns. */
    private static long machineBusyNanos() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int column = 1; column < Math.min(cpu.length, 9); column++) { // user .. steal
                if (column != 4 && column != 5) { // idle, iowait
                    busy += Long.parseLong(cpu[column]);
                }
            }
            return busy * NANOS_PER_TICK;
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }
}
