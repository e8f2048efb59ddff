package id.audit.tokenid.app.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started from this JVM's class path (the service, or the broker), its output appended
 * to a log file. {@link #kill()} is SIGKILL, {@link #stop()} SIGTERM with a bounded wait (then
 * SIGKILL). Every process started is remembered and SIGKILLed by a shutdown hook if still
 * alive, so a failed or interrupted run leaves nothing behind.
 */
final class ChildProcess {

    private static final List<Process> STARTED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killAll, "chaos-children-stop"));
    }

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    ChildProcess(String name, String heap, String mainClass, List<String> args, Path log) {
        this.name = name;
        this.log = log;
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        synchronized (STARTED) {
            STARTED.add(process);
        }
    }

    /** SIGKILL, and wait until it is gone. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM; SIGKILL if it has not exited after {@code seconds}. True when it exited by itself. */
    synchronized boolean stop(int seconds) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    static void killAll() {
        synchronized (STARTED) {
            for (Process p : STARTED) {
                p.destroyForcibly();
            }
            for (Process p : STARTED) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            STARTED.clear();
        }
    }
}
