package id.audit.tokenid.exporter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests of bearer tokens: the only form in which the service keeps or compares a
 * token. Raw tokens are hashed on arrival and never stored.
 */
public final class TokenDigests {

    /** Length of a lowercase hex SHA-256 digest. */
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

    /** Whether the text is exactly 64 hex digits (either case). */
    public static boolean isHexDigest(String text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
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
