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
import java.util.Optional;
import java.util.Set;

/**
 * The encoding of {@code List<OrgUsage>} between instances ({@code /internal/v1/usage}): a
 * versioned, line-based ASCII text, readable in a terminal and bounded everywhere. Version 2
 * (written):
 *
 * <pre>
 * tokenid-usage 2
 * orgs &lt;count&gt;
 * org &lt;org_id&gt; &lt;rolling24hCostNanos&gt; &lt;rolling1hCostNanos&gt; &lt;monthToDateCostNanos&gt; &lt;budgetNanos&gt; &lt;projectedMonthNanos&gt; &lt;seriesCount&gt;
 * series &lt;provider&gt; &lt;model&gt; &lt;requests&gt; &lt;inputTokens&gt; &lt;outputTokens&gt; &lt;cachedInputTokens&gt; &lt;cacheWriteInputTokens&gt; &lt;reasoningTokens&gt; &lt;costNanos&gt; &lt;unpricedRequests&gt;
 * end
 * </pre>
 *
 * An org without a budget has {@code -} as both budget fields (both or neither). Version 1
 * (read only, from an instance of an earlier release) has {@code org <org_id>
 * <rolling24hCostNanos> <seriesCount>} and {@code series <provider> <model> <requests>
 * <inputTokens> <outputTokens> <costNanos>}: its usage decodes with the newer figures at zero
 * and no budget, and {@link #decodeVersioned} tells the caller which version it read, because
 * those zeros mean "not sent", not "nothing spent".
 *
 * <p>Strings are percent-encoded UTF-8 (every byte outside {@code A-Z a-z 0-9 - . _ ~} as
 * {@code %XX}, upper case) and never empty; numbers are canonical non-negative decimals (no
 * value on the wire is negative: a budget's remainder is derived, not sent): counts and
 * requests fit a long, token and cost sums and budget figures have at most
 * {@link #MAX_SUM_DIGITS} digits and stay below 2^128. Decoding is strict: anything but the
 * canonical form of valid usage is rejected, as are bodies over {@link #MAX_BYTES}, absurd
 * counts, numbers with more digits than their kind allows, and repeated orgs or series; so for
 * every usage the encoder accepts, {@code decode(encode(usage))} is that usage, and every other
 * body is refused.
 *
 * <p>Over 200 lines: the encoder and the strict decoder of one format, kept together so each
 * stays the other's inverse.
 */
public final class UsageWire {

    /**
     * The media type of version 2. An instance of the previous release asks for version 1 and
     * does not look at the answer's type: its decoder refuses the version 2 magic line, so it
     * answers that scrape 503 rather than a wrong number.
     */
    public static final String CONTENT_TYPE = "application/vnd.tokenid.usage+text; version=2";
    /** The version {@link #encode} writes. */
    public static final int VERSION = 2;
    public static final int MAX_BYTES = 16 << 20;
    static final int MAX_ORGS = 1_000_000;
    static final int MAX_SERIES_PER_ORG = 100_000;
    static final int MAX_STRING_LENGTH = 1024;
    /** Digits of 2^128 - 1, the largest sum the aggregation keeps: a bound on parsing work too. */
    static final int MAX_SUM_DIGITS = 39;
    private static final BigInteger SUM_CEILING = BigInteger.ONE.shiftLeft(128);

    private static final String MAGIC = "tokenid-usage ";
    /** Both budget fields of an org without a budget. */
    private static final String NO_BUDGET = "-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Decoded usage and the wire version it came in. */
    public record Decoded(int version, List<OrgUsage> orgs) {
        public Decoded {
            orgs = List.copyOf(orgs);
        }
    }

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
        StringBuilder out = new StringBuilder(64 + orgs.size() * 160);
        out.append(MAGIC).append(VERSION).append('\n');
        out.append("orgs ").append(orgs.size()).append('\n');
        for (OrgUsage org : orgs) {
            if (org.series().size() > MAX_SERIES_PER_ORG) {
                throw new IllegalArgumentException("too many series in one org for the wire");
            }
            out.append("org ").append(encodeString(org.orgId())).append(' ')
                    .append(sum(org.rolling24hCostNanos())).append(' ')
                    .append(sum(org.rolling1hCostNanos())).append(' ')
                    .append(sum(org.monthToDateCostNanos())).append(' ')
                    .append(org.budget().map(b -> sum(b.budgetNanos())).orElse(NO_BUDGET)).append(' ')
                    .append(org.budget().map(b -> sum(b.projectedMonthNanos())).orElse(NO_BUDGET)).append(' ')
                    .append(org.series().size()).append('\n');
            for (ModelUsage series : org.series()) {
                out.append("series ").append(encodeString(series.provider())).append(' ')
                        .append(encodeString(series.model())).append(' ')
                        .append(nonNegative(series.requests())).append(' ')
                        .append(sum(series.inputTokens())).append(' ')
                        .append(sum(series.outputTokens())).append(' ')
                        .append(sum(series.cachedInputTokens())).append(' ')
                        .append(sum(series.cacheWriteInputTokens())).append(' ')
                        .append(sum(series.reasoningTokens())).append(' ')
                        .append(sum(series.costNanos())).append(' ')
                        .append(nonNegative(series.unpricedRequests())).append('\n');
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

    /** The usage in a body of version 1 or 2; see {@link #decodeVersioned} for the difference. */
    public static List<OrgUsage> decode(byte[] body) throws MalformedUsageException {
        return decodeVersioned(body).orgs();
    }

    /** The usage in a body of version 1 or 2, and which of them it was. */
    public static Decoded decodeVersioned(byte[] body) throws MalformedUsageException {
        if (body.length > MAX_BYTES) {
            throw new MalformedUsageException("body larger than " + MAX_BYTES + " bytes");
        }
        for (byte b : body) {
            if (b != '\n' && (b < 0x20 || b > 0x7e)) {
                throw new MalformedUsageException("body is not printable ASCII text");
            }
        }
        Lines lines = new Lines(new String(body, StandardCharsets.US_ASCII));
        String magic = lines.next();
        int version;
        if (magic.equals(MAGIC + 1)) {
            version = 1;
        } else if (magic.equals(MAGIC + 2)) {
            version = 2;
        } else {
            throw new MalformedUsageException("not tokenid-usage version 1 or 2");
        }
        int orgCount = (int) count(lines.fields("orgs", 1)[0], MAX_ORGS);
        List<OrgUsage> orgs = new ArrayList<>();
        Set<String> orgIds = new HashSet<>();
        for (int i = 0; i < orgCount; i++) {
            OrgLine org = version == 1 ? orgVersion1(lines.fields("org", 3)) : orgVersion2(lines.fields("org", 7));
            if (!orgIds.add(org.orgId())) {
                throw new MalformedUsageException(lines.where() + "an org appears twice");
            }
            List<ModelUsage> series = new ArrayList<>();
            Set<List<String>> seriesIds = new HashSet<>();
            for (int j = 0; j < org.seriesCount(); j++) {
                ModelUsage usage = version == 1 ? seriesVersion1(lines.fields("series", 6))
                        : seriesVersion2(lines.fields("series", 10));
                if (!seriesIds.add(List.of(usage.provider(), usage.model()))) {
                    throw new MalformedUsageException(lines.where() + "a series appears twice");
                }
                series.add(usage);
            }
            orgs.add(org.usage(series));
        }
        if (!"end".equals(lines.next()) || !lines.atEnd()) {
            throw new MalformedUsageException("missing end line, or data after it");
        }
        return new Decoded(version, orgs);
    }

    /** An org line read, waiting for its series. */
    private record OrgLine(String orgId, BigInteger rolling24h, BigInteger rolling1h, BigInteger monthToDate,
                           Optional<BudgetUsage> budget, int seriesCount) {
        OrgUsage usage(List<ModelUsage> series) {
            return new OrgUsage(orgId, series, rolling24h, rolling1h, monthToDate, budget);
        }
    }

    private static OrgLine orgVersion1(String[] org) throws MalformedUsageException {
        return new OrgLine(decodeString(org[0]), sumNumber(org[1]), BigInteger.ZERO, BigInteger.ZERO,
                Optional.empty(), (int) count(org[2], MAX_SERIES_PER_ORG));
    }

    private static OrgLine orgVersion2(String[] org) throws MalformedUsageException {
        Optional<BudgetUsage> budget;
        if (org[4].equals(NO_BUDGET) && org[5].equals(NO_BUDGET)) {
            budget = Optional.empty();
        } else {
            // A lone "-" fails here as a non-canonical number: both fields or neither.
            budget = Optional.of(new BudgetUsage(sumNumber(org[4]), sumNumber(org[5])));
        }
        return new OrgLine(decodeString(org[0]), sumNumber(org[1]), sumNumber(org[2]), sumNumber(org[3]), budget,
                (int) count(org[6], MAX_SERIES_PER_ORG));
    }

    private static ModelUsage seriesVersion1(String[] s) throws MalformedUsageException {
        return new ModelUsage(decodeString(s[0]), decodeString(s[1]), number(s[2]), sumNumber(s[3]), sumNumber(s[4]),
                sumNumber(s[5]));
    }

    private static ModelUsage seriesVersion2(String[] s) throws MalformedUsageException {
        return new ModelUsage(decodeString(s[0]), decodeString(s[1]), number(s[2]), sumNumber(s[3]), sumNumber(s[4]),
                sumNumber(s[5]), sumNumber(s[6]), sumNumber(s[7]), sumNumber(s[8]), number(s[9]));
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
