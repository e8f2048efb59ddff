package id.audit.tokenid.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

/** The correctness figures of a run, as assertions: counts, never timings. */
final class ChaosAssertions {

    private ChaosAssertions() {
    }

    static void assertExact(ChaosReport report) {
        assertThat(report.sendErrors()).as("records the producer gave up on").isZero();
        assertThat(report.eventsLost()).as("events lost").isZero();
        assertThat(report.eventsDoubled()).as("events counted twice").isZero();
        assertThat(report.seriesWithWrongTokensOrCost()).as("series with wrong tokens or cost").isZero();
        assertThat(report.instanceOrgAnswersNotExact()).as("(instance, org) answers not equal to the oracle").isZero();
        assertThat(report.deadLetters()).as("dead letters by reason").isEqualTo(report.badSent());
        assertThat(report.deadLetterRepeats()).as("dead letters written twice").isZero();
        assertThat(report.decreases()).as("counter decreases, e.g. " + report.decreaseSamples()).isZero();
    }
}
