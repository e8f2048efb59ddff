package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No answer shows an org with fewer requests than an earlier answer of the same instance. */
class AnswerFloorTest {

    @Test
    void refusesAnOrgWithFewerRequestsThanAnsweredBefore() {
        // given: org-a was answered with 7 requests over two series
        AnswerFloor floor = new AnswerFloor("test", 10);
        floor.admit(found(org("org-a", 5, 2)), false, System.nanoTime());

        // when: a store being restored shows only one of its series
        ReadResult later = floor.admit(found(org("org-a", 5)), false, System.nanoTime());

        // then
        assertThat(later).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(((ReadResult.Unavailable) later).reason()).contains("org-a", "5 requests in 1 series", "7 in 2");
    }

    @Test
    void admitsTheSameOrMoreAndRaisesTheFloor() {
        AnswerFloor floor = new AnswerFloor("test", 10);
        ReadResult first = found(org("org-a", 5, 2));

        assertThat(floor.admit(first, false, System.nanoTime())).isSameAs(first);
        assertThat(floor.admit(found(org("org-a", 5, 2)), false, System.nanoTime())).isInstanceOf(ReadResult.Found.class);
        assertThat(floor.admit(found(org("org-a", 6, 3)), false, System.nanoTime())).isInstanceOf(ReadResult.Found.class);
        assertThat(floor.admit(found(org("org-a", 5, 3)), false, System.nanoTime())).isInstanceOf(ReadResult.Unavailable.class);
    }

    @Test
    void admitsAnOlderReadThatBeganBeforeTheHigherAnswerWasGiven() {
        // given: two reads in flight; the one that began first read the state before a commit
        AnswerFloor floor = new AnswerFloor("test", 10);
        floor.admit(found(org("org-a", 3)), false, System.nanoTime());
        long slowReadBegan = System.nanoTime();
        floor.admit(found(org("org-a", 9)), false, System.nanoTime());

        // when: it finishes after the other
        ReadResult slow = floor.admit(found(org("org-a", 4)), false, slowReadBegan);
        ReadResult belowTheFloorItBeganWith = floor.admit(found(org("org-a", 2)), false, slowReadBegan);
        ReadResult laterRead = floor.admit(found(org("org-a", 8)), false, System.nanoTime());

        // then: only the floor in force when a read began counts
        assertThat(slow).isInstanceOf(ReadResult.Found.class);
        assertThat(belowTheFloorItBeganWith).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(laterRead).isInstanceOf(ReadResult.Unavailable.class);
    }

    @Test
    void refusesAWholeAnswerThatLacksAnOrgAnsweredBefore() {
        // given
        AnswerFloor floor = new AnswerFloor("test", 10);
        floor.admit(found(org("org-a", 1), org("org-b", 1)), true, System.nanoTime());

        // when: an admin answer without org-b (its partition's store restoring from empty)
        ReadResult whole = floor.admit(found(org("org-a", 2)), true, System.nanoTime());
        ReadResult partOfIt = floor.admit(found(org("org-a", 2)), false, System.nanoTime());

        // then: only an answer that must hold every org is refused for it
        assertThat(whole).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(partOfIt).isInstanceOf(ReadResult.Found.class);
    }

    @Test
    void leavesUnavailableAnswersAndOtherOrgsAlone() {
        AnswerFloor floor = new AnswerFloor("test", 10);
        floor.admit(found(org("org-a", 9)), false, System.nanoTime());
        ReadResult unavailable = new ReadResult.Unavailable("rebalancing");

        assertThat(floor.admit(unavailable, false, System.nanoTime())).isSameAs(unavailable);
        assertThat(floor.admit(found(org("org-b", 1)), false, System.nanoTime())).isInstanceOf(ReadResult.Found.class);
    }

    @Test
    void forgetsTheLeastRecentlyAnsweredOrgBeyondItsBound() {
        // given: room for two orgs
        AnswerFloor floor = new AnswerFloor("test", 2);
        floor.admit(found(org("org-a", 9)), false, System.nanoTime());
        floor.admit(found(org("org-b", 9)), false, System.nanoTime());

        // when: a third org is answered
        floor.admit(found(org("org-c", 9)), false, System.nanoTime());

        // then: org-b still has a floor, org-a has none any more
        assertThat(floor.admit(found(org("org-b", 1)), false, System.nanoTime())).isInstanceOf(ReadResult.Unavailable.class);
        assertThat(floor.admit(found(org("org-a", 1)), false, System.nanoTime())).isInstanceOf(ReadResult.Found.class);
    }

    private static ReadResult found(OrgUsage... orgs) {
        return new ReadResult.Found(List.of(orgs));
    }

    private static OrgUsage org(String id, long... requestsPerSeries) {
        List<ModelUsage> series = new java.util.ArrayList<>();
        for (int i = 0; i < requestsPerSeries.length; i++) {
            series.add(new ModelUsage("openai", "model-" + i, requestsPerSeries[i], 10, 10, 1_000));
        }
        return new OrgUsage(id, series, 0L);
    }
}
