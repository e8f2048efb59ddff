package id.audit.tokenid.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A one-org read between owners tries again for a bounded while, by a bounded number of readers. */
class MoveWaitTest {

    private static final UsageQuery ONE_ORG = UsageQuery.forOrg("org-a", Instant.EPOCH);
    private static final ReadResult FOUND = new ReadResult.Found(List.of(new OrgUsage("org-a", List.of(), 0L)));
    private static final ReadResult MOVING = new ReadResult.Unavailable("owner of org unknown (rebalancing)");

    @Test
    void answersOnceTheOrgHasAnOwnerAgain() {
        // given: the org is between owners for the first three tries
        AtomicInteger tries = new AtomicInteger();
        UsageReader once = query -> tries.incrementAndGet() <= 3 ? MOVING : FOUND;
        MoveWait wait = new MoveWait(Duration.ofSeconds(5), 1, () -> true);

        // when
        ReadResult result = wait.read(ONE_ORG, once);

        // then
        assertThat(result).isSameAs(FOUND);
        assertThat(tries).hasValue(4);
    }

    @Test
    void givesUpAfterItsWait() {
        MoveWait wait = new MoveWait(Duration.ofMillis(250), 1, () -> true);
        long start = System.nanoTime();

        ReadResult result = wait.read(ONE_ORG, query -> MOVING);

        assertThat(result).isSameAs(MOVING);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    @Test
    void doesNotWaitForAdminReadsOrAnInstanceThatCannotAnswerSoon() {
        AtomicInteger tries = new AtomicInteger();
        UsageReader once = query -> {
            tries.incrementAndGet();
            return MOVING;
        };

        new MoveWait(Duration.ofSeconds(5), 1, () -> true).read(UsageQuery.allOrgs(Instant.EPOCH), once);
        new MoveWait(Duration.ofSeconds(5), 1, () -> false).read(ONE_ORG, once);

        assertThat(tries).hasValue(2);
    }

    @Test
    void letsOnlyTheBoundedNumberOfReadsWait() throws Exception {
        // given: one reader is waiting (its reads block until released)
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger tries = new AtomicInteger();
        MoveWait wait = new MoveWait(Duration.ofSeconds(30), 1, () -> true);
        Thread first = new Thread(() -> wait.read(ONE_ORG, query -> {
            if (tries.incrementAndGet() == 2) {
                waiting.countDown();
                awaitQuietly(release);
                return FOUND;
            }
            return MOVING;
        }));
        first.start();
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        // when: a second read finds the org between owners
        AtomicInteger secondTries = new AtomicInteger();
        ReadResult second = wait.read(ONE_ORG, query -> {
            secondTries.incrementAndGet();
            return MOVING;
        });

        // then: it answers at once
        assertThat(second).isSameAs(MOVING);
        assertThat(secondTries).hasValue(1);
        release.countDown();
        first.join(10_000);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
