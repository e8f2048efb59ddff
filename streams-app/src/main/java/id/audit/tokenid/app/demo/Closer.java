package id.audit.tokenid.app.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was opened, last first (traffic before the service before the broker before the
 * files), and carries on past a failure so that one stuck part does not leave the rest running.
 */
public final class Closer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    private record Named(String name, AutoCloseable resource) {
    }

    private final Deque<Named> resources = new ArrayDeque<>();

    public synchronized <T extends AutoCloseable> T add(String name, T resource) {
        resources.push(new Named(name, resource));
        return resource;
    }

    /** Closes everything; a failure is logged, and an {@link Error} rethrown once all is closed. */
    @Override
    public synchronized void close() {
        Error firstError = null;
        while (!resources.isEmpty()) {
            Named next = resources.pop();
            try {
                next.resource().close();
            } catch (Exception | Error e) {
                LOG.warn("could not stop the {} cleanly", next.name(), e);
                if (e instanceof Error error && firstError == null) {
                    firstError = error;
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
    }
}
