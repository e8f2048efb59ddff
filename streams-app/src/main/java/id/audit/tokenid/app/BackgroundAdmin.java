package id.audit.tokenid.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What the instance's background watches ({@link PartitionWatch}, {@link TransactionWatch})
 * share: an admin client whose every call gives up after {@code timeout}, and one daemon thread
 * that runs a check at a fixed delay, so a watch never blocks start-up or shutdown.
 */
final class BackgroundAdmin {

    private BackgroundAdmin() {
    }

    static Admin client(String bootstrapServers, Duration timeout) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()));
    }

    /** A daemon thread named {@code threadName} running {@code check} every {@code interval}, the first after one. */
    static ScheduledExecutorService every(Duration interval, String threadName, Runnable check) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return timer;
    }
}
