package id.audit.tokenid.app.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (broker, tools and application alike, as they share the JVM),
 * so a run can say how many of the machine's cores it kept busy.
 */
final class CpuClock {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long startCpuNanos;

    private CpuClock(long startCpuNanos) {
        this.startCpuNanos = startCpuNanos;
    }

    static CpuClock start() {
        return new CpuClock(OS.getProcessCpuTime());
    }

    /** Average number of cores busy over {@code wallNanos} of wall-clock time. */
    double coresSince(long wallNanos) {
        return (double) (OS.getProcessCpuTime() - startCpuNanos) / wallNanos;
    }

    static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
