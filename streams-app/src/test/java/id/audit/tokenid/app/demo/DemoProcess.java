package id.audit.tokenid.app.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tokenid-metrics demo} in its own JVM, as a user runs it, with every line it prints
 * (stdout and stderr) collected. Its servers bind port 0; the test reads the ports from what it
 * prints. Its data goes under {@code target/} (the demo's cache directory), never the user's.
 * Closing ends the process, forcibly if it does not stop in time.
 */
final class DemoProcess implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final Instant started;
    private final StringBuffer output = new StringBuffer();

    private DemoProcess(Process process) {
        this.process = process;
        this.started = Instant.now();
        this.reader = new Thread(this::collectOutput, "demo-output");
        reader.setDaemon(true);
        reader.start();
    }

    static DemoProcess start(String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // The demo keeps its data under XDG_CACHE_HOME, outside the OS temp folder, as for a
                // user. A checkout may itself lie under /tmp (CI clones there), which would put
                // target/ inside the temp folder and make Kafka Streams warn about it: give the
                // demo a temp folder of its own beside the data instead.
                "-Djava.io.tmpdir=" + tmpDir(),
                "id.audit.tokenid.app.Main", "demo", "--http-port", "0", "--management-port", "0"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TOKENID_"));
        builder.environment().put("XDG_CACHE_HOME", Path.of("target", "demo-cache").toAbsolutePath().toString());
        return new DemoProcess(builder.start());
    }

    private static String tmpDir() throws IOException {
        return java.nio.file.Files.createDirectories(Path.of("target", "demo-tmp").toAbsolutePath()).toString();
    }

    /** Everything printed so far. */
    String output() {
        return output.toString();
    }

    Instant started() {
        return started;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM (as Ctrl-C's SIGINT, it runs the shutdown hook), through the process handle so
     * that, unlike {@link Process#destroy}, the output stays readable to the end.
     *
     * @return whether it exited within the time given
     */
    boolean terminate(Duration within) throws InterruptedException {
        process.toHandle().destroy();
        boolean exited = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(10_000);
        return exited;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void collectOutput() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("[reading the demo's output failed: ").append(e).append("]\n");
        }
    }
}
