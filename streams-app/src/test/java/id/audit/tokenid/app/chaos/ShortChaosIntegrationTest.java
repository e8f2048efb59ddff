package id.audit.tokenid.app.chaos;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of the suite (issue #10): a broker and two instances as processes, 100,000
 * events with bad records and repeated ids, three SIGKILLs of random instances (each started
 * again) and a restart of the broker on the same data, all under a 10 Hz scraper. Asserts the
 * exactness and monotonicity figures; prints the gaps (not asserted). The full run is
 * {@code ops/chaos.sh} (RELIABILITY.md).
 *
 * <p>The broker is stopped with SIGTERM here, where the full run SIGKILLs it. A SIGKILL of a
 * single-broker cluster meets a Kafka 4.4 fault about one run in six: after the restart the
 * controller marks every partition leaderless for about a second, and a transaction coordinator
 * completing a transaction in that second skips the leaderless partitions' markers, so they stay
 * open for good (RELIABILITY.md, "Hanging transactions after a broker crash", with the broker's
 * log). Nothing the service does can write a missing commit marker; a cluster whose partitions
 * have a second replica keeps a leader through one broker's crash. The suite asserts what the
 * service controls, exactness through instance kills and a broker restart, and does not fail on
 * that Kafka fault; {@code ops/chaos.sh} keeps the SIGKILL.
 */
class ShortChaosIntegrationTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps every process's log
    Path tmp;

    @Test
    void countsStayExactAndMonotonicThroughKillsAndABrokerRestart() throws Exception {
        ChaosOptions options = ChaosOptions.defaults().withEvents(100_000, 1_000).withInstances(2, 1)
                .withFaults(3, 1, 0).withCleanBrokerStop().inDir(tmp);

        ChaosReport report = new ChaosRun(options, System.out).run();
        report.print(System.out);

        ChaosAssertions.assertExact(report);
    }
}
