package id.audit.tokenid.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceCountersTest {

    @Test
    void sumsEachCounterOverItsLabelsAndIgnoresLookalikes() {
        String exposition = """
                # HELP tokenid_events_counted_total api_call events added to the totals
                # TYPE tokenid_events_counted_total counter
                tokenid_events_counted_total 1754.0
                tokenid_events_counted_total_created 1.7e9
                # TYPE tokenid_dead_letters_total counter
                tokenid_dead_letters_total{reason="invalid_tokens"} 20.0
                tokenid_dead_letters_total{reason="not_json"} 23.0
                tokenid_dead_letters_totally_else 99
                tokenid_duplicates_total 3.0 1700000000000
                """;

        ServiceCounters.Snapshot snapshot = ServiceCounters.parse(exposition);

        assertThat(snapshot).isEqualTo(new ServiceCounters.Snapshot(1754, 43, 3));
    }

    @Test
    void readsZeroForCountersNotExposedYet() {
        assertThat(ServiceCounters.parse("# nothing yet\n")).isEqualTo(new ServiceCounters.Snapshot(0, 0, 0));
    }
}
