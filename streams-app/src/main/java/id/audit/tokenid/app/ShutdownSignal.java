package id.audit.tokenid.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that cleans up on its own thread: the JVM's
 * shutdown hook raises {@link #isRaised()} and then waits until the command says {@link #done()},
 * so everything is closed and deleted before the JVM halts. Waiting for a latch rather than
 * joining the main thread matters: a main thread that returns into {@code System.exit} while
 * hooks run would block there, and a join would wait for nothing.
 */
public final class ShutdownSignal {

    private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(90);

    private final CountDownLatch raised = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    private ShutdownSignal() {
    }

    public static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.raised.countDown();
            try {
                signal.done.await(CLEANUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tokenid-shutdown"));
        return signal;
    }

    /** Waits until shutdown is asked for. */
    public void await() throws InterruptedException {
        raised.await();
    }

    /** Waits up to {@code timeout}; true when shutdown was asked for. */
    public boolean await(Duration timeout) throws InterruptedException {
        return raised.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isRaised() {
        return raised.getCount() == 0;
    }

    /** Everything is cleaned up: the JVM may halt. */
    public void done() {
        done.countDown();
    }
}
