package id.audit.tokenid.app.chaos;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short chaos run of the suite (issue #10): a broker and two instances as processes, 100,000
 * events with bad records and repeated ids, three SIGKILLs of random instances (each started
 * again) and a SIGKILL of the broker with its restart on the same data, all under a 10 Hz
 * scraper. Asserts the exactness and monotonicity figures; prints the gaps (not asserted).
 * The full run is {@code ops/chaos.sh} (RELIABILITY.md).
 */
class ShortChaosIntegrationTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps every process's log
    Path tmp;

    @Test
    void countsStayExactAndMonotonicThroughKillsAndABrokerRestart() throws Exception {
        ChaosOptions options = ChaosOptions.defaults().withEvents(100_000, 1_000).withInstances(2, 1)
                .withFaults(3, 1, 0).inDir(tmp);

        ChaosReport report = new ChaosRun(options, System.out).run();
        report.print(System.out);

        ChaosAssertions.assertExact(report);
    }
}
