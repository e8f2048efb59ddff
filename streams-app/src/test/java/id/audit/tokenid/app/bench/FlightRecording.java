package id.audit.tokenid.app.bench;

import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JDK Flight Recorder recording of a whole benchmark run with the JDK's {@code profile}
 * settings (allocation samples with stacks, among others), written when the run ends: where a
 * figure of {@link WorkPerEvent} (bytes allocated per event) comes from. Read it with the JDK's
 * {@code jfr print --events jdk.ObjectAllocationSample <file>}; the stream threads are named
 * after their application, so each run's allocations can be told apart.
 */
final class FlightRecording {

    private FlightRecording() {
    }

    /** Starts a recording to {@code file} when it is not blank; what is returned stops and writes it. */
    static AutoCloseable startIfAsked(String file) throws Exception {
        if (file.isBlank()) {
            return () -> { };
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setDestination(Path.of(file));
        recording.start();
        System.out.println("JFR recording to " + file);
        return () -> {
            recording.stop(); // writes the destination
            recording.close();
        };
    }
}
