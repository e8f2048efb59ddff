package id.audit.tokenid.app.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesLimitTest {

    private final Map<String, Integer> stored = new HashMap<>(Map.of("acme", 1, "globex", 5));
    private final Map<String, Integer> scans = new HashMap<>();

    private SeriesLimit limit(int max) {
        return new SeriesLimit(max, org -> {
            scans.merge(org, 1, Integer::sum);
            return stored.getOrDefault(org, 0);
        });
    }

    @Test
    void admitsNewPairsUpToTheLimitCountingTheStoredSeriesOncePerOrg() {
        SeriesLimit limit = limit(3);

        assertThat(limit.admitNew("acme")).isTrue();
        assertThat(limit.admitNew("acme")).isTrue();
        assertThat(limit.admitNew("acme")).isFalse();
        assertThat(limit.admitNew("acme")).isFalse();
        assertThat(limit.admitNew("initech")).isTrue();

        assertThat(scans).containsEntry("acme", 1).containsEntry("initech", 1);
    }

    @Test
    void admitsNothingNewToAnOrgAlreadyBeyondALoweredLimit() {
        SeriesLimit limit = limit(3);

        assertThat(limit.admitNew("globex")).isFalse();
    }

    @Test
    void countsTheStoreAgainAfterForgettingSoThatDiscardedAdmissionsFreeTheirPlaces() {
        // given: acme's last place taken by a pair whose transaction is then aborted
        SeriesLimit limit = limit(2);
        assertThat(limit.admitNew("acme")).isTrue();
        assertThat(limit.admitNew("acme")).isFalse();

        // when
        limit.forget();

        // then: the store still holds one series, so the place is free again
        assertThat(limit.admitNew("acme")).isTrue();
        assertThat(scans).containsEntry("acme", 2);
    }
}
