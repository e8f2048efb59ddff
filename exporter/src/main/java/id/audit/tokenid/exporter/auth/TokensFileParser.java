package id.audit.tokenid.exporter.auth;

import id.audit.tokenid.schemas.TextRules;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokens file's format (SPEC §5), and nothing else: bytes in, grants and problems out.
 *
 * <p>One token a line, {@code <digest> org:<org_id>} or {@code <digest> admin}. The digest follows
 * {@link TokenDigests#isHexDigest} (64 lowercase hex), the org id {@link TextRules#orgIdOrNull}
 * (the codec's rule). Separators are blank characters in {@link TextRules}' sense (U+0020 and
 * below), so an ideographic space (U+3000) is part of an org id here as it is in an event. A
 * {@code #} at the start of a line or after a blank character starts a comment; inside a word it
 * does not. A bad line becomes a problem with its number, never an exception; the line itself is
 * never quoted (it may hold a raw token pasted by mistake). Two lines that give one digest
 * different principals are both dropped.
 */
final class TokensFileParser {

    private static final String ORG_PREFIX = "org:";
    private static final String ADMIN = "admin";
    private static final String INVALID_ORG_ID = "the org id must be 1.." + TextRules.MAX_ORG_ID_CODE_POINTS
            + " characters of valid Unicode, not blank";

    private TokensFileParser() {
    }

    /** One token's grant: its digest as text and bytes, and who it is. */
    record Grant(String hex, byte[] digest, Principal principal) {
    }

    /** A whole file: the grants by digest, and one problem per skipped line. */
    record Parsed(Map<String, Grant> grants, List<String> problems) {
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

    /**
     * The line that grants {@code principal} to the token with this digest.
     *
     * @throws IllegalArgumentException when the digest breaks the digest rule, or the org id
     *         cannot be written so that the line reads back as the same principal (a line break in
     *         it, a {@code #} after a blank, an id that is not normalised)
     */
    static String formatLine(String sha256Hex, Principal principal) {
        String problem = TokenDigests.digestProblem(sha256Hex);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String grant = principal.role() == Role.ADMIN ? ADMIN : ORG_PREFIX + principal.orgId().get();
        String line = sha256Hex + " " + grant;
        Parsed parsed = parse((line + "\n").getBytes(StandardCharsets.UTF_8));
        Grant read = parsed.grants().get(sha256Hex);
        if (read == null || !parsed.problems().isEmpty() || !read.principal().equals(principal)) {
            throw new IllegalArgumentException("this org id cannot be written in a tokens file"
                    + " (it must read back as the same org: no line break, no '#' after a blank);"
                    + " grant it on the tokens topic instead");
        }
        return line;
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
        int blank = indexOfBlank(text);
        String digest = blank < 0 ? text : text.substring(0, blank);
        String digestProblem = TokenDigests.digestProblem(digest);
        if (digestProblem != null) {
            return Line.problem(digest.startsWith(Tokens.PREFIX)
                    ? "holds a raw token, not its SHA-256 digest (the token is not used)"
                    : "does not start with a valid digest: " + digestProblem);
        }
        String grant = blank < 0 ? "" : text.substring(blank).trim();
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
        return new Line(new Grant(digest, TokenDigests.parseHex(digest), principal), null);
    }

    /** A {@code #} at the start or after a blank starts a comment; inside a word it does not. */
    private static String withoutComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || isBlank(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static int indexOfBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isBlank(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@link TextRules}' blank, for one character: U+0020 and below (what trim removes). */
    private static boolean isBlank(char c) {
        return c <= ' ';
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

    private record Line(Grant grant, String problem) {
        static final Line BLANK = new Line(null, null);

        static Line problem(String problem) {
            return new Line(null, problem);
        }
    }
}
