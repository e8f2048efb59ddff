package id.audit.tokenid.app.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a run, in order, each with the time it began and the time the deployment had
 * recovered from it (every instance ready again, every org answered). The scraper attributes
 * each answer, and each stretch without a 200 by the answer that ends it, to the fault in
 * whose window it arrives; outside every window to the steady baseline.
 */
final class Faults {

    static final class Fault {
        final String name;
        final long startNanos;
        volatile long endNanos = Long.MAX_VALUE;
        /** Longest stretch between two 200 answers of one org from any instance, in ns. */
        long longestOrgGapNanos;
        String longestOrgGapOrg = "-";
        /** Longest stretch between two 200 answers of one org from one instance that stayed up. */
        long longestInstanceGapNanos;
        /** HTTP answers from instances in service (not being stopped, killed or started). */
        long answers;
        long non200;
        /** HTTP answers from an instance out of service (stopping, or started and not ready yet). */
        long answersOutOfService;
        long non200OutOfService;
        long transportErrors;

        Fault(String name, long startNanos) {
            this.name = name;
            this.startNanos = startNanos;
        }

        double seconds(long nanos) {
            return nanos / 1e9;
        }
    }

    private final List<Fault> faults = new ArrayList<>();
    private final Fault baseline = new Fault("steady (no fault in progress)", 0);

    synchronized Fault begin(String name) {
        Fault fault = new Fault(name, System.nanoTime());
        faults.add(fault);
        return fault;
    }

    /** The fault in whose window (begin to recovered) {@code nanos} lies, or the steady baseline. */
    synchronized Fault at(long nanos) {
        Fault latest = baseline;
        for (Fault fault : faults) {
            if (fault.startNanos <= nanos) {
                latest = fault;
            }
        }
        return nanos <= latest.endNanos ? latest : baseline;
    }

    synchronized List<Fault> all() {
        List<Fault> all = new ArrayList<>();
        all.add(baseline);
        all.addAll(faults);
        return all;
    }
}
