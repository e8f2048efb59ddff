package id.audit.tokenid.exporter.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one file for changes (modification time, size, file key) on a daemon thread and hands
 * its bytes, at most {@link #MAX_FILE_BYTES}, to a listener each time it changes; says when it is
 * gone, unreadable or too large. It knows nothing of the file's format.
 */
final class TokensFileWatcher implements AutoCloseable {

    static final long MAX_FILE_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(TokensFileWatcher.class);

    /** What the watcher reports; called on the polling thread, one call at a time. */
    interface Listener {
        /** The file was read (again): its whole content. */
        void changed(byte[] content);

        /** The file cannot be read now: gone, unreadable or too large. */
        void unreadable(String why);
    }

    private final Path path;
    private final Listener listener;
    private ScheduledExecutorService poller;
    /** The stamp of the content last handed over; null while the file is unreadable. */
    private volatile FileStamp stamp;

    TokensFileWatcher(Path path, Listener listener) {
        this.path = path;
        this.listener = listener;
    }

    /** Reads the file now, before polling starts; fails if it cannot be read. */
    byte[] readNow() throws IOException {
        FileStamp current = stamp(path);
        byte[] content = read(path, current);
        stamp = current;
        return content;
    }

    /** Starts polling at this interval. */
    void start(Duration interval) {
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tokenid-tokens-file");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Checks the file once and reports it if it changed; the poller calls this. */
    void poll() {
        FileStamp current;
        try {
            current = stamp(path);
        } catch (NoSuchFileException e) {
            unreadable("the file is gone");
            return;
        } catch (IOException e) {
            unreadable("cannot read it (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (current.equals(stamp)) {
            return;
        }
        byte[] content;
        try {
            content = read(path, current);
        } catch (NoSuchFileException e) {
            unreadable("the file is gone");
            return;
        } catch (IOException e) {
            unreadable("cannot read it (" + e.getMessage() + ")");
            return;
        }
        stamp = current;
        listener.changed(content);
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private void unreadable(String why) {
        stamp = null;
        listener.unreadable(why);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // Keep polling: a scheduled task that throws is never run again.
            LOG.error("tokens file {}: unexpected error while checking it", path, e);
        }
    }

    private static byte[] read(Path path, FileStamp stamp) throws IOException {
        if (stamp.size() > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        byte[] content = Files.readAllBytes(path);
        if (content.length > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        return content;
    }

    private static FileStamp stamp(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }

    private record FileStamp(FileTime modified, long size, Object fileKey) {
    }
}
