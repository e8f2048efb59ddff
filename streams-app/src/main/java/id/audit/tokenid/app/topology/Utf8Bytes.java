package id.audit.tokenid.app.topology;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 of the short strings that cross the by-org topic and key the dedup (org ids, event ids,
 * providers, models), written straight into the caller's buffer. Nearly all of them are ASCII,
 * whose UTF-8 is one byte a char: those are copied char by char, with no intermediate array
 * (the {@code getBytes} arrays were about 230 bytes allocated per event on the unkeyed path,
 * BENCHMARKS.md); any other string takes {@link String#getBytes}.
 */
final class Utf8Bytes {

    private Utf8Bytes() {
    }

    /** The UTF-8 length of {@code value}. */
    static int length(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                return value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /**
     * Writes {@code value}'s UTF-8 at {@code at} and returns the position after it; the buffer
     * must have room for {@link #length} bytes.
     */
    static int write(String value, byte[] buffer, int at) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(encoded, 0, buffer, at, encoded.length);
                return at + encoded.length;
            }
            buffer[at + i] = (byte) c;
        }
        return at + length;
    }
}
