package id.audit.tokenid.exporter.http.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Strict parser of one HTTP/1.x request head (RFC 9112 §2-5). It accepts only what these
 * endpoints need and refuses the rest with a status, never guessing: a request line of
 * {@code token SP target SP HTTP/1.0|HTTP/1.1}, CRLF line ends (a bare CR or LF is refused),
 * header names that are tokens directly followed by ':', values without control characters,
 * no obs-fold, and no body ({@code Content-Length} above 0 or any {@code Transfer-Encoding}
 * is 413, since these endpoints take none and reading one would tie up the connection).
 * Every refusal closes the connection: after a head it could not read, the server cannot know
 * where the next request would start.
 *
 * <p>Over 200 lines: one strict parser of the request line and header fields; split, the rules
 * a reviewer must read together would be scattered.
 */
public final class RequestHeadParser {

    public static final int MAX_URI_LENGTH = 4096;
    public static final int MAX_HEADER_COUNT = 100;
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    /** What a head turned out to be. */
    public sealed interface Result {
    }

    public record Parsed(Request request) implements Result {
    }

    /** Refused with this status and fixed short message; the connection is closed after it. */
    public record Refused(int status, String message) implements Result {
    }

    static final Refused BAD_REQUEST = new Refused(400, "bad request");
    static final Refused URI_TOO_LONG = new Refused(414, "URI too long");
    static final Refused HEADERS_TOO_LARGE = new Refused(431, "request headers too large");
    static final Refused BODY_REFUSED = new Refused(413, "a request body is not accepted");

    private RequestHeadParser() {
    }

    /**
     * The end of the head in {@code bytes[0..length)}: the index just past the blank line
     * that ends it, or -1 when it has not all arrived. A bare-LF blank line also ends it, so
     * that such a head is refused at once rather than waiting for its deadline.
     */
    public static int headEnd(byte[] bytes, int length) {
        for (int i = 1; i < length; i++) {
            if (bytes[i] == '\n') {
                if (bytes[i - 1] == '\n') {
                    return i + 1;
                }
                if (i >= 3 && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    /** @param length the length of the head, blank line included ({@link #headEnd}) */
    public static Result parse(byte[] bytes, int length) {
        List<String> lines = lines(bytes, length);
        if (lines == null || lines.size() < 2 || !lines.get(lines.size() - 1).isEmpty()) {
            return BAD_REQUEST;
        }
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3) {
            return BAD_REQUEST;
        }
        String method = requestLine[0];
        String target = requestLine[1];
        String version = requestLine[2];
        if (target.length() > MAX_URI_LENGTH) {
            return URI_TOO_LONG;
        }
        if (!isToken(method) || target.isEmpty() || !isVisibleAscii(target)
                || !(version.equals("HTTP/1.1") || version.equals("HTTP/1.0"))) {
            return BAD_REQUEST;
        }
        List<RequestHeaders.Field> fields = new ArrayList<>();
        int headerBytes = 0;
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            headerBytes += line.length() + 2;
            if (fields.size() >= MAX_HEADER_COUNT || headerBytes > MAX_HEADER_BYTES) {
                return HEADERS_TOO_LARGE;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return BAD_REQUEST; // includes obs-fold: a line starting with SP or HTAB
            }
            String value = line.substring(colon + 1);
            if (!isFieldValue(value)) {
                return BAD_REQUEST;
            }
            fields.add(new RequestHeaders.Field(line.substring(0, colon), trimWhitespace(value)));
        }
        RequestHeaders headers = new RequestHeaders(fields);
        Result bodyCheck = refuseBodies(headers);
        if (bodyCheck != null) {
            return bodyCheck;
        }
        return target(target, method, version, headers);
    }

    private static Result target(String target, String method, String version, RequestHeaders headers) {
        String pathAndQuery;
        if (target.startsWith("/") || target.equals("*")) {
            pathAndQuery = target;
        } else {
            // Absolute form (RFC 9112 §3.2.2): servers must accept it; only its path counts here.
            String lower = target.toLowerCase(Locale.ROOT);
            int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
            if (schemeEnd < 0) {
                return BAD_REQUEST;
            }
            int pathStart = indexOfAny(target, schemeEnd, "/?");
            pathAndQuery = pathStart < 0 ? "/" : target.charAt(pathStart) == '?'
                    ? "/" + target.substring(pathStart) : target.substring(pathStart);
        }
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        String query = question < 0 ? null : pathAndQuery.substring(question + 1);
        return new Parsed(new Request(method, path, query, version, headers, keepAlive(version, headers)));
    }

    private static Result refuseBodies(RequestHeaders headers) {
        if (headers.contains("Transfer-Encoding")) {
            return BODY_REFUSED;
        }
        for (String value : headers.all("Content-Length")) {
            if (!value.matches("[0-9]{1,18}")) {
                return BAD_REQUEST;
            }
            if (Long.parseLong(value) > 0) {
                return BODY_REFUSED;
            }
        }
        return null;
    }

    private static boolean keepAlive(String version, RequestHeaders headers) {
        boolean close = false;
        boolean keepAlive = false;
        for (String value : headers.all("Connection")) {
            for (String option : value.split(",")) {
                String name = option.trim().toLowerCase(Locale.ROOT);
                close |= name.equals("close");
                keepAlive |= name.equals("keep-alive");
            }
        }
        return !close && (version.equals("HTTP/1.1") || keepAlive);
    }

    /** The lines of the head without their CRLF, or null when a CR or LF stands alone. */
    private static List<String> lines(byte[] bytes, int length) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\r') {
                if (i + 1 >= length || bytes[i + 1] != '\n') {
                    return null;
                }
                lines.add(new String(bytes, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 2;
                i++;
            } else if (bytes[i] == '\n') {
                return null;
            }
        }
        return start == length ? lines : null;
    }

    /** RFC 9110 §5.6.2 tchar. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphaNum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alphaNum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 §5.5: visible characters, SP, HTAB and obs-text; no other control character. */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String trimWhitespace(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    private static int indexOfAny(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
