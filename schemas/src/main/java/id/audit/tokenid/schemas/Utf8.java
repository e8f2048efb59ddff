package id.audit.tokenid.schemas;

/**
 * Strict UTF-8 checking of a record before it reaches the JSON parser.
 *
 * <p>Jackson's byte parser guesses UTF-16/32 from zero bytes and a byte order mark, skips a UTF-8
 * byte order mark, and does not reject overlong forms; the contract says UTF-8 (RFC 8259 section
 * 8.1), so those are rejected here, in one pass without allocating. Surrogates encoded in UTF-8
 * bytes (CESU-8, {@code ED A0 80}) are rejected here too: jackson-core 2.21 also refuses them
 * ("Illegal surrogate character"), and this check keeps that independent of its version, so such
 * bytes are never decoded into an id, as a surrogate or as U+FFFD.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Whether {@code b} is well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no encoded
     * surrogates, nothing above U+10FFFF) with no NUL byte and no leading byte order mark. A NUL
     * byte can never occur in a JSON text, and rejecting it rules out Jackson's UTF-16/32 guess.
     */
    static boolean isStrictJsonUtf8(byte[] b) {
        int n = b.length;
        if (n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return false;
        }
        int i = 0;
        while (i < n) {
            int c = b[i];
            if (c > 0) { // ASCII other than NUL, the common case
                i++;
                continue;
            }
            if (c == 0) {
                return false;
            }
            c &= 0xFF;
            if (c >= 0xC2 && c <= 0xDF) {
                if (!continuation(b, i + 1, n)) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 >= n) {
                    return false;
                }
                int c1 = b[i + 1] & 0xFF;
                int lo = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                int hi = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
                if (c1 < lo || c1 > hi || !continuation(b, i + 2, n)) {
                    return false;
                }
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= n) {
                    return false;
                }
                int c1 = b[i + 1] & 0xFF;
                int lo = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                int hi = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
                if (c1 < lo || c1 > hi || !continuation(b, i + 2, n) || !continuation(b, i + 3, n)) {
                    return false;
                }
                i += 4;
            } else {
                return false; // 80..C1 and F5..FF never start a sequence
            }
        }
        return true;
    }

    private static boolean continuation(byte[] b, int i, int n) {
        return i < n && (b[i] & 0xC0) == 0x80;
    }
}
