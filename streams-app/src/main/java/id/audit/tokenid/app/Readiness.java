package id.audit.tokenid.app;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /readyz} answers: RUNNING without a break for {@link #SETTLE}, and no usage store
 * restoring. RUNNING alone comes too early for a rolling deploy: a returning instance is RUNNING
 * after its first rebalance round, holding standbys only, and the follow-up round that hands it
 * its tasks (a cooperative move takes a revoking round and an assigning one) comes about a
 * second later; an orchestrator that stops the next instance on the first RUNNING stops it in
 * the middle of that round, and both moves overlap (seen in every rolling restart whose log was
 * read, RELIABILITY.md). Every new rebalance restarts the clock.
 *
 * <p>The cost: an instance is reported ready {@code SETTLE} later after start and after each
 * rebalance; between rebalances nothing changes. Reads do not depend on it.
 */
final class Readiness {

    /** Longer than the gap between a revoking round and its follow-up (under a second here). */
    static final Duration SETTLE = Duration.ofSeconds(3);

    private final Duration settle;
    private final LongSupplier nanoClock;
    private final BooleanSupplier restoring;
    private volatile boolean running;
    private volatile long runningSinceNanos;

    /** @param restoring whether any usage store of this instance is being restored */
    Readiness(Duration settle, LongSupplier nanoClock, BooleanSupplier restoring) {
        this.settle = settle;
        this.nanoClock = nanoClock;
        this.restoring = restoring;
    }

    /** Call from the streams' state listener. */
    void stateChanged(KafkaStreams.State now) {
        if (now == KafkaStreams.State.RUNNING) {
            runningSinceNanos = nanoClock.getAsLong();
            running = true;
        } else {
            running = false;
        }
    }

    boolean settled() {
        return running && nanoClock.getAsLong() - runningSinceNanos >= settle.toNanos() && !restoring.getAsBoolean();
    }
}
