package id.audit.tokenid.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #10: a rolling restart (SIGTERM one instance, start it again, wait for /readyz, next) of
 * three instances with one standby each, under live traffic and a 10 Hz scraper of every org on
 * every instance: no decrease, exact totals and dead letters afterwards, every org answered again;
 * the share of non-200 answers is printed (the target is 1%; see RELIABILITY.md for where
 * it stands). Real processes (a broker and three instances).
 */
class RollingRestartIntegrationTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps every process's log
    Path tmp;

    @Test
    void rollingRestartOfThreeInstancesKeepsAnsweringWithExactTotals() throws Exception {
        ChaosOptions options = ChaosOptions.defaults().withEvents(45_000, 1_000).withInstances(3, 1)
                .withFaults(0, 0, 1).inDir(tmp);

        ChaosReport report = new ChaosRun(options, System.out).run();
        report.print(System.out);

        Faults.Fault rolling = report.fault("rolling restart");
        assertThat(rolling.endNanos).as("every instance ready and every org answered again").isNotEqualTo(Long.MAX_VALUE);
        assertThat(rolling.answers).as("answers during the rolling restart").isGreaterThan(0);
        // The share of non-200 answers is printed above, not asserted: it depends on the machine
        // (0.13% and 0.18% in the restart window on the idle 2-core machine, 3-8% on the same
        // machine under a load average of 10-50 with the earlier 1-s, 4-read move wait:
        // RELIABILITY.md), and a suite must not fail on a busy CI host's timing.
        ChaosAssertions.assertExact(report);
    }
}
