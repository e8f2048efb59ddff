package id.audit.tokenid.exporter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 digests of bearer tokens: the only form in which the service keeps or compares a
 * token. Raw tokens are hashed on arrival and never stored.
 */
public final class TokenDigests {

    /** Length of a hex SHA-256 digest. */
    public static final int HEX_LENGTH = 64;

    private static final HexFormat HEX = HexFormat.of();

    private TokenDigests() {
    }

    /** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
    public static String sha256Hex(String token) {
        return HEX.formatHex(sha256(token));
    }

    /** Raw SHA-256 of the token's UTF-8 bytes. */
    public static byte[] sha256(String token) {
        return newSha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether the text is a digest as the service writes, stores and compares it: exactly 64
     * lowercase hex digits. This is the one digest rule of every token source (the tokens file,
     * the {@code api-tokens} topic's key, every lookup). Uppercase is refused, not folded: the
     * topic is compacted by its exact key bytes, so {@code ABC…} and {@code abc…} would be two
     * keys, and a tombstone written in the other case would leave the grant alive after the next
     * restore.
     */
    public static boolean isHexDigest(String text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why {@code text} is not a digest by {@link #isHexDigest}'s rule, in words fit for an
     * operator (the text itself is never quoted: it may be a raw token), or null when it is one.
     */
    public static String digestProblem(String text) {
        if (isHexDigest(text)) {
            return null;
        }
        if (text != null && isHexDigest(text.toLowerCase(Locale.ROOT))) {
            return "the SHA-256 digest has uppercase hex digits; write it in lowercase hex, as sha256sum prints it";
        }
        return "64 lowercase hex characters (the SHA-256 of the token) expected";
    }

    /** Bytes of a 64-hex-digit digest; the caller has checked {@link #isHexDigest}. */
    static byte[] parseHex(String hexDigest) {
        return HEX.parseHex(hexDigest);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest Javadoc).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
