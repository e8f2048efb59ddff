package id.audit.tokenid.app.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One instance of the service ({@code Main run}) as a process, on fixed ports and a fixed state dir. */
final class Instance {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int index;
    final int httpPort;
    final int managementPort;
    private final ChildProcess process;

    Instance(int index, int httpPort, int managementPort, List<String> sharedArgs, Path dir) {
        this.index = index;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(sharedArgs);
        args.addAll(List.of(
                "--state-dir", dir.resolve("state-" + index).toString(),
                "--http-port", Integer.toString(httpPort),
                "--management-port", Integer.toString(managementPort),
                "--advertised-address", "127.0.0.1:" + httpPort));
        this.process = new ChildProcess("instance-" + index, "512m", "id.audit.tokenid.app.Main", args,
                dir.resolve("instance-" + index + ".log"));
    }

    void start() throws IOException {
        process.start();
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM, as an orchestrator stops a pod; true when it exited within the grace period. */
    boolean stop() throws InterruptedException {
        return process.stop(60);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    boolean isReady() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until /readyz answers 200; false after {@code timeout} or when the process died. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isReady()) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    String name() {
        return "instance-" + index + " (:" + httpPort + ")";
    }
}
