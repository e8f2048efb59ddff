package id.audit.tokenid.exporter.usage;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The encoding of {@code List<OrgUsage>} between instances ({@code /internal/v1/usage}): a
 * versioned, line-based ASCII text, readable in a terminal and bounded everywhere.
 *
 * <pre>
 * tokenid-usage 1
 * orgs &lt;count&gt;
 * org &lt;org_id&gt; &lt;rolling24hCostNanos&gt; &lt;seriesCount&gt;
 * series &lt;provider&gt; &lt;model&gt; &lt;requests&gt; &lt;inputTokens&gt; &lt;outputTokens&gt; &lt;costNanos&gt;
 * end
 * </pre>
 *
 * Strings are percent-encoded UTF-8 (every byte outside {@code A-Z a-z 0-9 - . _ ~} as
 * {@code %XX}, upper case) and never empty; numbers are canonical non-negative decimals: counts
 * and requests fit a long, token and cost sums have at most {@link #MAX_SUM_DIGITS} digits (the
 * aggregation keeps them in 128 bits; an instance of before 128-bit sums sends the same text
 * while they fit a long, so the version stays 1). Decoding is strict: anything but the canonical
 * form of valid usage is rejected, as are bodies over {@link #MAX_BYTES}, absurd counts, numbers
 * with more digits than their kind allows, and repeated orgs or series.
 *
 * <p>Over 200 lines: the encoder and the strict decoder of one format, kept together so each
 * stays the other's inverse.
 */
public final class UsageWire {

    public static final String CONTENT_TYPE = "application/vnd.tokenid.usage+text; version=1";
    public static final int MAX_BYTES = 16 << 20;
    static final int MAX_ORGS = 1_000_000;
    static final int MAX_SERIES_PER_ORG = 100_000;
    static final int MAX_STRING_LENGTH = 1024;
    /** Digits of 2^128 - 1, the largest sum the aggregation keeps: a bound on parsing work too. */
    static final int MAX_SUM_DIGITS = 39;
    private static final BigInteger SUM_CEILING = BigInteger.ONE.shiftLeft(128);

    private static final String MAGIC = "tokenid-usage 1";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The body is not the canonical encoding of valid usage. */
    public static final class MalformedUsageException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedUsageException(String message) {
            super(message);
        }
    }

    private UsageWire() {
    }

    /**
     * @throws IllegalArgumentException when a string is empty or too long, or the encoding
     *                                  would exceed {@link #MAX_BYTES}
     */
    public static byte[] encode(List<OrgUsage> orgs) {
        if (orgs.size() > MAX_ORGS) {
            throw new IllegalArgumentException("too many orgs for the wire");
        }
        StringBuilder out = new StringBuilder(64 + orgs.size() * 128);
        out.append(MAGIC).append('\n');
        out.append("orgs ").append(orgs.size()).append('\n');
        for (OrgUsage org : orgs) {
            if (org.series().size() > MAX_SERIES_PER_ORG) {
                throw new IllegalArgumentException("too many series in one org for the wire");
            }
            out.append("org ").append(encodeString(org.orgId())).append(' ')
                    .append(sum(org.rolling24hCostNanos())).append(' ')
                    .append(org.series().size()).append('\n');
            for (ModelUsage series : org.series()) {
                out.append("series ").append(encodeString(series.provider())).append(' ')
                        .append(encodeString(series.model())).append(' ')
                        .append(nonNegative(series.requests())).append(' ')
                        .append(sum(series.inputTokens())).append(' ')
                        .append(sum(series.outputTokens())).append(' ')
                        .append(sum(series.costNanos())).append('\n');
            }
            if (out.length() > MAX_BYTES) {
                throw new IllegalArgumentException("usage too large for the wire");
            }
        }
        out.append("end\n");
        if (out.length() > MAX_BYTES) {
            throw new IllegalArgumentException("usage too large for the wire");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static List<OrgUsage> decode(byte[] body) throws MalformedUsageException {
        if (body.length > MAX_BYTES) {
            throw new MalformedUsageException("body larger than " + MAX_BYTES + " bytes");
        }
        for (byte b : body) {
            if (b != '\n' && (b < 0x20 || b > 0x7e)) {
                throw new MalformedUsageException("body is not printable ASCII text");
            }
        }
        Lines lines = new Lines(new String(body, StandardCharsets.US_ASCII));
        if (!MAGIC.equals(lines.next())) {
            throw new MalformedUsageException("not tokenid-usage version 1");
        }
        int orgCount = (int) count(lines.fields("orgs", 1)[0], MAX_ORGS);
        List<OrgUsage> orgs = new ArrayList<>();
        Set<String> orgIds = new HashSet<>();
        for (int i = 0; i < orgCount; i++) {
            String[] org = lines.fields("org", 3);
            String orgId = decodeString(org[0]);
            if (!orgIds.add(orgId)) {
                throw new MalformedUsageException(lines.where() + "an org appears twice");
            }
            BigInteger rolling = sumNumber(org[1]);
            int seriesCount = (int) count(org[2], MAX_SERIES_PER_ORG);
            List<ModelUsage> series = new ArrayList<>();
            Set<List<String>> seriesIds = new HashSet<>();
            for (int j = 0; j < seriesCount; j++) {
                String[] s = lines.fields("series", 6);
                ModelUsage usage = new ModelUsage(decodeString(s[0]), decodeString(s[1]), number(s[2]),
                        sumNumber(s[3]), sumNumber(s[4]), sumNumber(s[5]));
                if (!seriesIds.add(List.of(usage.provider(), usage.model()))) {
                    throw new MalformedUsageException(lines.where() + "a series appears twice");
                }
                series.add(usage);
            }
            orgs.add(new OrgUsage(orgId, series, rolling));
        }
        if (!"end".equals(lines.next()) || !lines.atEnd()) {
            throw new MalformedUsageException("missing end line, or data after it");
        }
        return orgs;
    }

    static String encodeString(String value) {
        int length = value.codePointCount(0, value.length());
        if (length == 0 || length > MAX_STRING_LENGTH) {
            throw new IllegalArgumentException("a string is empty or longer than " + MAX_STRING_LENGTH);
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    static String decodeString(String encoded) throws MalformedUsageException {
        if (encoded.isEmpty() || encoded.length() > MAX_STRING_LENGTH * 12) {
            throw new MalformedUsageException("a string is empty or too long");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw new MalformedUsageException("a truncated percent escape");
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedUsageException("a bad percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (isUnreserved(c)) {
                bytes.write(c);
            } else {
                throw new MalformedUsageException("a character that must be percent-encoded");
            }
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedUsageException("a string is not valid UTF-8");
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_STRING_LENGTH || !encodeString(value).equals(encoded)) {
            throw new MalformedUsageException("a string is too long or not in canonical form");
        }
        return value;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static long nonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a usage number is negative");
        }
        return value;
    }

    private static String sum(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(SUM_CEILING) >= 0) {
            throw new IllegalArgumentException("a usage sum is negative or beyond 128 bits");
        }
        return value.toString();
    }

    /** A canonical decimal of at most {@code maxDigits} digits, checked before any parsing. */
    private static void requireCanonical(String text, int maxDigits) throws MalformedUsageException {
        boolean canonical = !text.isEmpty() && text.length() <= maxDigits
                && (text.equals("0") || text.charAt(0) != '0')
                && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!canonical) {
            throw new MalformedUsageException("not a canonical non-negative number of at most " + maxDigits
                    + " digits");
        }
    }

    private static BigInteger sumNumber(String text) throws MalformedUsageException {
        requireCanonical(text, MAX_SUM_DIGITS);
        BigInteger value = new BigInteger(text);
        if (value.compareTo(SUM_CEILING) >= 0) {
            throw new MalformedUsageException("a sum beyond 128 bits");
        }
        return value;
    }

    private static long number(String text) throws MalformedUsageException {
        requireCanonical(text, 19);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedUsageException("a number out of range");
        }
    }

    private static long count(String text, int max) throws MalformedUsageException {
        long count = number(text);
        if (count > max) {
            throw new MalformedUsageException("a count above " + max);
        }
        return count;
    }

    /** Reads lines one at a time, so a body that lies about its counts costs nothing extra. */
    private static final class Lines {
        private final String text;
        private int position;
        private int number;

        Lines(String text) {
            this.text = text;
        }

        String next() throws MalformedUsageException {
            int end = text.indexOf('\n', position);
            if (end < 0) {
                throw new MalformedUsageException("truncated after line " + number);
            }
            String line = text.substring(position, end);
            position = end + 1;
            number++;
            return line;
        }

        String[] fields(String keyword, int count) throws MalformedUsageException {
            String[] parts = next().split(" ", -1);
            if (parts.length != count + 1 || !parts[0].equals(keyword)) {
                throw new MalformedUsageException(where() + "expected a '" + keyword + "' line");
            }
            String[] fields = new String[count];
            System.arraycopy(parts, 1, fields, 0, count);
            return fields;
        }

        boolean atEnd() {
            return position == text.length();
        }

        String where() {
            return "line " + number + ": ";
        }
    }
}
