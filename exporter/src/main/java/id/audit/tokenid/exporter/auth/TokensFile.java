package id.audit.tokenid.exporter.auth;

import id.audit.tokenid.schemas.TextRules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens from a file of digests, for standalone use (SPEC §5): UTF-8, one token a line,
 * {@code <64 hex chars> org:<org_id>} or {@code <64 hex chars> admin}. A {@code #} at the start
 * of a line or after whitespace starts a comment; blank lines are fine. A malformed line is
 * reported with its number (logged, and kept in {@link #problems()}) and skipped, never the
 * whole file. The line itself is never logged: it may hold a raw token pasted by mistake.
 *
 * <p>The file is polled for changes (modification time, size, file key) and re-read when it
 * changes. It fails closed: when the file is deleted, unreadable or too large, every token it
 * granted is revoked until it is readable again. Two lines that give one digest different
 * principals are both dropped.
 */
public final class TokensFile implements TokenLookup, AutoCloseable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    static final long MAX_FILE_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);
    private static final String ORG_PREFIX = "org:";
    private static final String ADMIN = "admin";
    private static final String INVALID_ORG_ID = "the org id must be 1.." + TextRules.MAX_ORG_ID_CODE_POINTS
            + " characters of valid Unicode, not blank";

    private final Path path;
    private final ScheduledExecutorService poller;
    private volatile State state;

    private TokensFile(Path path, Duration pollInterval) throws IOException {
        this.path = path;
        try {
            this.state = load(path, stamp(path));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "tokens file does not exist");
        } catch (IOException e) {
            throw new IOException("tokens file " + path + " cannot be read: " + e.getMessage(), e);
        }
        logLoaded(state);
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tokenid-tokens-file");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, pollInterval.toMillis());
        poller.scheduleWithFixedDelay(this::pollSafely, millis, millis, TimeUnit.MILLISECONDS);
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

    /** The tokens-file line that grants {@code principal} to the token with this digest. */
    public static String formatLine(String sha256Hex, Principal principal) {
        if (!TokenDigests.isHexDigest(sha256Hex)) {
            throw new IllegalArgumentException("not a SHA-256 hex digest");
        }
        String grant = principal.role() == Role.ADMIN ? ADMIN : ORG_PREFIX + principal.orgId().get();
        return sha256Hex.toLowerCase(Locale.ROOT) + " " + grant;
    }

    @Override
    public Optional<Principal> lookup(String sha256Hex) {
        if (!TokenDigests.isHexDigest(sha256Hex)) {
            return Optional.empty();
        }
        Grant grant = state.grants().get(sha256Hex.toLowerCase(Locale.ROOT));
        // The map is keyed by digest, so the hash lookup reveals nothing about the raw token;
        // the final comparison is constant time all the same, as SPEC §3 asks.
        if (grant == null || !MessageDigest.isEqual(grant.digest(), TokenDigests.parseHex(sha256Hex))) {
            return Optional.empty();
        }
        return Optional.of(grant.principal());
    }

    /** What was wrong with the file at its last reading: one entry per skipped line. */
    public List<String> problems() {
        return state.problems();
    }

    /** How many tokens the file grants now. */
    public int size() {
        return state.grants().size();
    }

    /** Checks the file once and re-reads it if it changed; the poller calls this. */
    void poll() {
        FileStamp stamp;
        try {
            stamp = stamp(path);
        } catch (NoSuchFileException e) {
            revokeAll("the file is gone");
            return;
        } catch (IOException e) {
            revokeAll("cannot read it (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (state.readable() && stamp.equals(state.stamp())) {
            return;
        }
        try {
            State loaded = load(path, stamp);
            state = loaded;
            logLoaded(loaded);
        } catch (NoSuchFileException e) {
            revokeAll("the file is gone");
        } catch (IOException e) {
            revokeAll("cannot read it (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // Keep polling: a scheduled task that throws is never run again.
            LOG.error("tokens file {}: unexpected error while checking it", path, e);
        }
    }

    private void revokeAll(String why) {
        String problem = why + "; every token it granted is revoked until it can be read";
        if (!state.readable() && state.problems().equals(List.of(problem))) {
            return;
        }
        LOG.warn("tokens file {}: {}", path, problem);
        state = new State(Map.of(), List.of(problem), null, false);
    }

    private void logLoaded(State loaded) {
        for (String problem : loaded.problems()) {
            LOG.warn("tokens file {}: {}; line skipped", path, problem);
        }
        LOG.info("tokens file {}: {} tokens loaded, {} lines skipped", path, loaded.grants().size(),
                loaded.problems().size());
    }

    private static State load(Path path, FileStamp stamp) throws IOException {
        if (stamp.size() > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        byte[] content = Files.readAllBytes(path);
        if (content.length > MAX_FILE_BYTES) {
            throw new IOException("larger than " + MAX_FILE_BYTES + " bytes");
        }
        Parsed parsed = parse(content);
        return new State(parsed.grants(), parsed.problems(), stamp, true);
    }

    private static FileStamp stamp(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }

    /** Parses the whole file; never fails, a bad line becomes a problem. */
    static Parsed parse(byte[] content) {
        Map<String, Grant> grants = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int start = hasUtf8Bom(content) ? 3 : 0;
        int lineNumber = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            lineNumber++;
            Line line = parseLine(content, start, end);
            start = end + 1;
            if (line.problem() != null) {
                problems.add("line " + lineNumber + ": " + line.problem());
            } else if (line.grant() != null) {
                String digest = line.grant().hex();
                Grant previous = grants.putIfAbsent(digest, line.grant());
                if (previous == null) {
                    lineOf.put(digest, lineNumber);
                } else if (!previous.principal().equals(line.grant().principal())) {
                    conflicting.add(digest);
                    problems.add("line " + lineNumber + ": the digest on line " + lineOf.get(digest)
                            + " is granted differently; both lines are dropped");
                }
            }
        }
        conflicting.forEach(grants::remove);
        return new Parsed(Map.copyOf(grants), List.copyOf(problems));
    }

    private static Line parseLine(byte[] content, int start, int end) {
        int stop = end > start && content[end - 1] == '\r' ? end - 1 : end;
        String raw;
        try {
            raw = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, start, stop - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return Line.problem("not valid UTF-8");
        }
        String text = withoutComment(raw).trim();
        if (text.isEmpty()) {
            return Line.BLANK;
        }
        int space = indexOfWhitespace(text);
        String digest = space < 0 ? text : text.substring(0, space);
        if (!TokenDigests.isHexDigest(digest)) {
            return Line.problem(digest.startsWith(Tokens.PREFIX)
                    ? "holds a raw token, not its SHA-256 digest (the token is not used)"
                    : "does not start with a SHA-256 digest (64 hex characters)");
        }
        String grant = space < 0 ? "" : text.substring(space).trim();
        Principal principal;
        if (grant.equals(ADMIN)) {
            principal = Principal.admin();
        } else if (grant.startsWith(ORG_PREFIX)) {
            String orgId = TextRules.orgIdOrNull(grant.substring(ORG_PREFIX.length()));
            if (orgId == null) {
                return Line.problem(INVALID_ORG_ID);
            }
            principal = Principal.org(orgId);
        } else {
            return Line.problem("expected 'org:<org_id>' or 'admin' after the digest");
        }
        String hex = digest.toLowerCase(Locale.ROOT);
        return new Line(new Grant(hex, TokenDigests.parseHex(hex), principal), null);
    }

    /** A {@code #} at the start or after whitespace starts a comment; inside a word it does not. */
    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] content, byte target, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == target) {
                return i;
            }
        }
        return content.length;
    }

    private static boolean hasUtf8Bom(byte[] content) {
        return content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf;
    }

    /** One token's grant: its digest as text and bytes, and who it is. */
    record Grant(String hex, byte[] digest, Principal principal) {
    }

    record Parsed(Map<String, Grant> grants, List<String> problems) {
    }

    private record Line(Grant grant, String problem) {
        static final Line BLANK = new Line(null, null);

        static Line problem(String problem) {
            return new Line(null, problem);
        }
    }

    private record FileStamp(FileTime modified, long size, Object fileKey) {
    }

    private record State(Map<String, Grant> grants, List<String> problems, FileStamp stamp,
                         boolean readable) {
    }
}
