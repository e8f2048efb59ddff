package id.audit.tokenid.app.query;

import id.audit.tokenid.exporter.usage.ReadResult;
import id.audit.tokenid.exporter.usage.UsageQuery;
import id.audit.tokenid.exporter.usage.UsageReader;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * Lets a one-org read that finds its org between owners try again for a short while before it
 * answers 503. An org is unanswered while its task moves: from the old owner's close or
 * revocation, through the rebalance, until the new owner has restored it; and the thread that
 * restores it answers none of its other tasks meanwhile (interactive queries need a RUNNING
 * thread). Most such windows last well under a second here (RELIABILITY.md), so a read that
 * re-resolves the owner every {@link #PAUSE} for up to {@code wait} turns most of them into a
 * slower 200 instead of a 503. Every try is a whole new read (owner looked up again, committed
 * state only), so nothing about monotonicity changes.
 *
 * <p>Bounded: at most {@code maxWaiting} reads wait at once (the others answer at once), so
 * waiting reads never take every HTTP worker: forwarded reads from the other instances, which
 * never wait, still find one. Admin reads and reads of an instance whose streams are not
 * RUNNING or REBALANCING (starting, stopping, failed) do not wait.
 */
final class MoveWait {

    /**
     * Long enough for most moves of a rolling deploy here (the longest stretch without an answer
     * in a rolling restart of 3 was 4 s, most under 1.5 s), well inside a scraper's timeout
     * (Prometheus: 10 s).
     */
    static final Duration DEFAULT_WAIT = Duration.ofMillis(1_500);
    /**
     * Three quarters of the customer server's {@code Service.HTTP_WORKERS} (16). With 4 (of 8), a
     * departing owner of 4-5 orgs left reads beyond the fourth answered 503 at once, ten times a
     * second each (a rolling restart's logs); the quarter left keeps a worker free for the
     * forwarded reads of the other instances, which never wait.
     */
    static final int DEFAULT_MAX_WAITING = 12;
    static final Duration PAUSE = Duration.ofMillis(100);

    private final Duration wait;
    private final Semaphore waiting;
    private final BooleanSupplier worthWaiting;

    /** @param worthWaiting whether this instance could answer soon (its streams RUNNING or REBALANCING) */
    MoveWait(Duration wait, int maxWaiting, BooleanSupplier worthWaiting) {
        this.wait = wait;
        this.waiting = new Semaphore(maxWaiting);
        this.worthWaiting = worthWaiting;
    }

    ReadResult read(UsageQuery query, UsageReader once) {
        ReadResult result = once.read(query);
        if (!(result instanceof ReadResult.Unavailable) || query.orgId().isEmpty() || !worthWaiting.getAsBoolean()
                || !waiting.tryAcquire()) {
            return result;
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (result instanceof ReadResult.Unavailable && worthWaiting.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Thread.sleep(Math.min(PAUSE.toMillis(), Math.max(1, left / 1_000_000)));
                result = once.read(query);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result;
        } finally {
            waiting.release();
        }
    }
}
