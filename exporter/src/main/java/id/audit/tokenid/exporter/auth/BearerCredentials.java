package id.audit.tokenid.exporter.auth;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Strict parser of the {@code Authorization} request header for bearer tokens
 * (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>): exactly one
 * header, scheme {@code Bearer} in any case, one or more spaces, one token of 1..512 visible
 * ASCII characters, nothing after it.
 */
public final class BearerCredentials {

    /** Longest token accepted; real tokens are about 51 characters. */
    public static final int MAX_TOKEN_LENGTH = 512;

    private static final String SCHEME = "bearer";

    /** What the header held. */
    public sealed interface Outcome {
    }

    /** No {@code Authorization} header. */
    public record Missing() implements Outcome {
    }

    /**
     * An {@code Authorization} header that holds no usable bearer token: another scheme (such as
     * Basic), an empty, too long or non-visible-ASCII token, or the header repeated.
     */
    public record Malformed(String reason) implements Outcome {
    }

    /** A well-formed bearer token; not yet known to be valid. */
    public record Token(String value) implements Outcome {
        public Token {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Token[<redacted>]";
        }
    }

    private BearerCredentials() {
    }

    /** @param headerValues every value of the {@code Authorization} header; null when absent */
    public static Outcome parse(List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return new Missing();
        }
        if (headerValues.size() > 1) {
            return new Malformed("more than one Authorization header");
        }
        return parse(headerValues.get(0));
    }

    /** @param header the value of the single {@code Authorization} header */
    public static Outcome parse(String header) {
        if (header == null) {
            return new Missing();
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return new Malformed("not a Bearer authorization");
        }
        if (space < 0) {
            return new Malformed("no token after the scheme");
        }
        int start = space;
        while (start < header.length() && header.charAt(start) == ' ') {
            start++;
        }
        String token = header.substring(start);
        if (token.isEmpty()) {
            return new Malformed("empty token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new Malformed("token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return new Malformed("token has a character that is not visible ASCII");
            }
        }
        return new Token(token);
    }
}
