package id.audit.tokenid.exporter.auth;

import id.audit.tokenid.exporter.auth.TokensFileParser.Parsed;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens from a file of digests, for standalone use (SPEC §5): wires the format
 * ({@link TokensFileParser}), the polling ({@link TokensFileWatcher}) and the current grants
 * ({@link TokensFileGrants}), and logs what happens. A malformed line is reported with its number
 * (logged, and kept in {@link #problems()}) and skipped, never the whole file.
 *
 * <p>The file is re-read when it changes. It fails closed: when the file is deleted, unreadable
 * or too large, every token it granted is revoked until it is readable again.
 */
public final class TokensFile implements TokenLookup, AutoCloseable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);

    private final Path path;
    private final TokensFileGrants grants = new TokensFileGrants();
    private final TokensFileWatcher watcher;

    private TokensFile(Path path, Duration pollInterval) throws IOException {
        this.path = path;
        this.watcher = new TokensFileWatcher(path, new TokensFileWatcher.Listener() {
            @Override
            public void changed(byte[] content) {
                loaded(TokensFileParser.parse(content));
            }

            @Override
            public void unreadable(String why) {
                revokeAll(why);
            }
        });
        byte[] content;
        try {
            content = watcher.readNow();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "tokens file does not exist");
        } catch (IOException e) {
            throw new IOException("tokens file " + path + " cannot be read: " + e.getMessage(), e);
        }
        loaded(TokensFileParser.parse(content));
        watcher.start(pollInterval);
    }

    /** Loads the file and watches it every second; fails if it cannot be read now. */
    public static TokensFile open(Path path) throws IOException {
        return open(path, DEFAULT_POLL_INTERVAL);
    }

    /** Loads the file and watches it at the given interval; fails if it cannot be read now. */
    public static TokensFile open(Path path, Duration pollInterval) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(pollInterval, "pollInterval");
        return new TokensFile(path, pollInterval);
    }

    /**
     * The tokens-file line that grants {@code principal} to the token with this digest (64
     * lowercase hex, {@link TokenDigests#isHexDigest}).
     *
     * @throws IllegalArgumentException when the digest is not one, or the org id cannot be written
     *         in a tokens file so that it reads back as the same org
     */
    public static String formatLine(String sha256Hex, Principal principal) {
        return TokensFileParser.formatLine(sha256Hex, principal);
    }

    @Override
    public Optional<Principal> lookup(String sha256Hex) {
        return grants.lookup(sha256Hex);
    }

    /** What was wrong with the file at its last reading: one entry per skipped line. */
    public List<String> problems() {
        return grants.problems();
    }

    /** How many tokens the file grants now. */
    public int size() {
        return grants.size();
    }

    /** Checks the file once and re-reads it if it changed; the poller calls this. */
    void poll() {
        watcher.poll();
    }

    @Override
    public void close() {
        watcher.close();
    }

    private void loaded(Parsed parsed) {
        grants.replace(parsed);
        for (String problem : parsed.problems()) {
            LOG.warn("tokens file {}: {}; line skipped", path, problem);
        }
        LOG.info("tokens file {}: {} tokens loaded, {} lines skipped", path, parsed.grants().size(),
                parsed.problems().size());
    }

    private void revokeAll(String why) {
        String problem = why + "; every token it granted is revoked until it can be read";
        if (grants.revokeAll(problem)) {
            LOG.warn("tokens file {}: {}", path, problem);
        }
    }
}
