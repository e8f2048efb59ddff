package id.audit.tokenid.app.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory made for this run and deleted, with everything in it, when closed. */
public final class TempDir implements AutoCloseable {

    private final Path path;

    private TempDir(Path path) {
        this.path = path;
    }

    public static TempDir create(String prefix) throws IOException {
        return new TempDir(Files.createTempDirectory(prefix));
    }

    /** A new directory, named prefix and a random number, in {@code parent} (made if missing). */
    public static TempDir createIn(Path parent, String prefix) throws IOException {
        return new TempDir(Files.createTempDirectory(Files.createDirectories(parent), prefix));
    }

    /**
     * A new directory for the demo's data outside the OS temp folder, in the user's cache
     * directory ({@code $XDG_CACHE_HOME} or {@code ~/.cache}, then {@code tokenid-metrics}):
     * the OS may clean its temp folder under a running demo, and Kafka Streams warns about a
     * state directory there for that reason. Falls back to the OS temp folder when the cache
     * directory cannot be made.
     */
    public static TempDir createForDemo(String prefix) throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        try {
            return createIn(cache.resolve("tokenid-metrics"), prefix);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return create(prefix);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        deleteRecursively(path);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
