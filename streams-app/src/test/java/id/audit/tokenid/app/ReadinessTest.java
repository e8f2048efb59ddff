package id.audit.tokenid.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicBoolean restoring = new AtomicBoolean();
    private final Readiness readiness = new Readiness(Duration.ofSeconds(3), nanos::get, restoring::get);

    @Test
    void notReadyBeforeRunning() {
        readiness.stateChanged(State.REBALANCING);
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(readiness.settled()).isFalse();
    }

    @Test
    void readyOnceRunningForTheSettlePeriod() {
        readiness.stateChanged(State.RUNNING);
        nanos.addAndGet(Duration.ofMillis(2_999).toNanos());
        assertThat(readiness.settled()).isFalse();

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(readiness.settled()).isTrue();
    }

    @Test
    void aFollowUpRebalanceRestartsTheClock() {
        readiness.stateChanged(State.RUNNING);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        readiness.stateChanged(State.REBALANCING);
        assertThat(readiness.settled()).isFalse();

        readiness.stateChanged(State.RUNNING);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(readiness.settled()).isFalse();

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(readiness.settled()).isTrue();
    }

    @Test
    void notReadyWhileAUsageStoreRestores() {
        readiness.stateChanged(State.RUNNING);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        restoring.set(true);
        assertThat(readiness.settled()).isFalse();

        restoring.set(false);
        assertThat(readiness.settled()).isTrue();
    }

    @Test
    void notReadyOnceStopping() {
        readiness.stateChanged(State.RUNNING);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        readiness.stateChanged(State.PENDING_SHUTDOWN);

        assertThat(readiness.settled()).isFalse();
    }
}
