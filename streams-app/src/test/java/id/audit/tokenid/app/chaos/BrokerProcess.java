package id.audit.tokenid.app.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The KRaft broker ({@link BrokerProcessMain}) as a process on a fixed port and data directory. */
final class BrokerProcess {

    private final int port;
    private final ChildProcess process;

    BrokerProcess(Path dataDir, int port, Path log) {
        this.port = port;
        this.process = new ChildProcess("broker", "1g", BrokerProcessMain.class.getName(),
                List.of(dataDir.toString(), Integer.toString(port)), log);
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Starts it and waits until it answers admin requests (up to {@code timeout}). */
    void start(Duration timeout) throws IOException, InterruptedException {
        process.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // starting
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not start; see " + process.log());
                }
                Thread.sleep(200);
            }
        }
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    void stop() throws InterruptedException {
        process.stop(60);
    }
}
