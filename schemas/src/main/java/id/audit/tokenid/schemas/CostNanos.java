package id.audit.tokenid.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as whole nano-dollars (1e-9 USD) in a {@code long}: exact sums, no binary floating point.
 *
 * <p>Rounding rule: a cost with more than 9 digits after the point is rounded to the nearest
 * nano-dollar, halves up ({@link RoundingMode#HALF_UP}; costs are never negative, so this is also
 * "halves away from zero"). {@code 0.0000000015} is 2 nanos, {@code 0.00000000149} is 1.
 *
 * <p>One event costs at most {@value #MAX_USD} USD, i.e. {@value #MAX_NANOS} nanos: a {@code long}
 * holds nine such events, so the aggregation sums cost in 128 bits.
 *
 * <p>Over 200 lines: the readers of one rule (JSON number text, plain decimal strings,
 * BigDecimal) side by side, so they cannot drift apart.
 */
public final class CostNanos {

    /** Nano-dollars in one dollar. */
    public static final long NANOS_PER_USD = 1_000_000_000L;
    /** The largest cost of one event, in USD (the schema's {@code maximum}). */
    public static final long MAX_USD = 1_000_000_000L;
    /** The largest cost of one event, in nano-dollars. */
    public static final long MAX_NANOS = MAX_USD * NANOS_PER_USD;
    /** Digits allowed after the point by {@link #parse} (the price table's plain form). */
    static final int MAX_STRING_FRACTION_DIGITS = 40;
    /** Longest {@code cost_usd} string the codec reads: the limit of a JSON number literal. */
    static final int MAX_STRING_CHARS = 1000;
    /** Exponents are saturated here while reading: far beyond any that can matter. */
    private static final long EXPONENT_CAP = 1_000_000_000_000L;
    /** Returned by the package-private parsers for text that is not a cost. */
    static final long INVALID = -1;

    private static final BigDecimal MAX_USD_DECIMAL = BigDecimal.valueOf(MAX_USD);

    private CostNanos() {
    }

    /**
     * Parses the schema's numeric-string form of {@code cost_usd}: plain decimal digits with an
     * optional fraction of 1 to 40 digits, no sign, exponent, leading zero or space, at most
     * {@value #MAX_USD}.
     *
     * @return the cost in nano-dollars, rounded as the class documents
     * @throws NumberFormatException if {@code decimal} is not of that form
     */
    public static long parse(String decimal) {
        long nanos = parsePlain(decimal, 0, decimal.length(), MAX_STRING_FRACTION_DIGITS);
        if (nanos == INVALID) {
            throw new NumberFormatException("not a cost in 0.." + MAX_USD + " USD: " + Texts.quote(decimal));
        }
        return nanos;
    }

    /**
     * Formats nano-dollars as a plain decimal in USD with no trailing zeros: 1500000000 is
     * {@code "1.5"}, 0 is {@code "0"}, 1 is {@code "0.000000001"}. Negative values (a
     * difference of costs) get a leading minus.
     */
    public static String format(long nanos) {
        if (nanos == Long.MIN_VALUE) {
            return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
        }
        long abs = Math.abs(nanos);
        StringBuilder out = new StringBuilder(24);
        if (nanos < 0) {
            out.append('-');
        }
        out.append(abs / NANOS_PER_USD);
        long fraction = abs % NANOS_PER_USD;
        if (fraction != 0) {
            String digits = Long.toString(fraction + NANOS_PER_USD); // "1" + 9 digits, zero-padded
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 1, end);
        }
        return out.toString();
    }

    /**
     * Parses {@code 0 | [1-9][0-9]*} optionally followed by {@code .[0-9]{1,maxFractionDigits}}
     * from {@code text[off, off+len)}, without allocating.
     *
     * @return nano-dollars, or {@link #INVALID} when the text is not of that form or is above
     *         {@value #MAX_USD} USD
     */
    static long parsePlain(CharSequence text, int off, int len, int maxFractionDigits) {
        int end = off + len;
        int i = off;
        long whole = 0;
        int wholeDigits = 0;
        while (i < end && isDigit(text.charAt(i))) {
            if (++wholeDigits > 10) {
                return INVALID; // 11 digits are at least 1e10 > MAX_USD
            }
            whole = whole * 10 + (text.charAt(i) - '0');
            i++;
        }
        if (wholeDigits == 0 || (wholeDigits > 1 && text.charAt(off) == '0') || whole > MAX_USD) {
            return INVALID;
        }
        long fraction = 0; // the first 9 fraction digits, in nanos
        boolean roundUp = false;
        boolean nonZeroFraction = false;
        if (i < end) {
            if (text.charAt(i) != '.') {
                return INVALID;
            }
            i++;
            int fractionDigits = 0;
            while (i < end && isDigit(text.charAt(i))) {
                int digit = text.charAt(i) - '0';
                fractionDigits++;
                if (fractionDigits <= 9) {
                    fraction = fraction * 10 + digit;
                } else if (fractionDigits == 10) {
                    roundUp = digit >= 5; // HALF_UP looks at the first dropped digit only
                }
                nonZeroFraction |= digit != 0;
                i++;
            }
            if (fractionDigits == 0 || fractionDigits > maxFractionDigits || i < end) {
                return INVALID;
            }
            for (int d = fractionDigits; d < 9; d++) {
                fraction *= 10;
            }
        }
        if (whole == MAX_USD && nonZeroFraction) {
            return INVALID;
        }
        return whole * NANOS_PER_USD + fraction + (roundUp ? 1 : 0);
    }

    /**
     * Converts an exact decimal (a JSON number in any syntax) to nano-dollars.
     *
     * @return nano-dollars, or {@link #INVALID} when negative or above {@value #MAX_USD} USD
     */
    static long fromDecimal(BigDecimal usd) {
        int sign = usd.signum();
        if (sign == 0) {
            return 0; // also -0 and 0e-999999999, without touching the scale
        }
        if (sign < 0 || usd.compareTo(MAX_USD_DECIMAL) > 0) {
            return INVALID;
        }
        // Below 1e-10 the value rounds to 0; deciding it here keeps setScale from dividing by
        // 10^huge for inputs like 1e-999999999.
        if (usd.precision() - usd.scale() <= -10) {
            return 0;
        }
        return usd.setScale(9, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }

    /**
     * Converts the text of a JSON number (RFC 8259: optional minus, integer part without leading
     * zeros, optional fraction, optional exponent) to nano-dollars, exactly and halves up, in one
     * pass over {@code text[off, off+len)}, without allocating and never through a double or a
     * BigDecimal. Work is linear in {@code len} whatever the exponent: an exponent is only
     * compared, never used to scale (1e-999999999 rounds to 0, 1e999999999 is above the maximum).
     *
     * <p>Any zero is 0, {@code -0}, {@code -0.0e5} included; any other negative is invalid.
     * {@code inString}: the text was a JSON string, so the schema's pattern applies, which also
     * refuses two notations no producer writes even when their value is in range: more than 10
     * digits before the point ({@code "12345678901e-5"}) and a non-zero value with an exponent
     * above 9 ({@code "0.01e10"}); a regular expression cannot weigh those against the maximum.
     *
     * @return nano-dollars, or {@link #INVALID}
     */
    static long fromJsonNumber(char[] text, int off, int len, boolean inString) {
        int end = off + len;
        int i = off;
        boolean negative = i < end && text[i] == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        if (i < end && text[i] == '0') {
            i++;
        } else {
            while (i < end && isDigit(text[i])) {
                i++;
            }
        }
        int intDigits = i - intStart;
        int fracStart = i;
        int fracEnd = i;
        if (i < end && text[i] == '.') {
            fracStart = ++i;
            while (i < end && isDigit(text[i])) {
                i++;
            }
            fracEnd = i;
            if (fracEnd == fracStart) {
                return INVALID;
            }
        }
        long exponent = 0;
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            int expStart = i;
            while (i < end && isDigit(text[i])) {
                exponent = Math.min(exponent * 10 + (text[i] - '0'), EXPONENT_CAP);
                i++;
            }
            if (i == expStart) {
                return INVALID;
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (intDigits == 0 || i != end) {
            return INVALID;
        }
        // The digits, integer part then fraction, are d(0) .. d(n-1); d(k) weighs
        // 10^(intDigits - 1 - k + exponent) USD.
        int n = intDigits + fracEnd - fracStart;
        int first = 0;
        while (first < n && digit(text, intStart, intDigits, fracStart, first) == 0) {
            first++;
        }
        if (first == n) {
            return 0;
        }
        if (negative || (inString && (intDigits > 10 || exponent > 9))) {
            return INVALID;
        }
        long magnitude = intDigits - 1 - first + exponent; // value in [10^m, 10^(m+1))
        if (magnitude > 9) {
            return INVALID;
        }
        if (magnitude == 9) { // at most exactly 1e9: a one followed by zeros only
            if (digit(text, intStart, intDigits, fracStart, first) != 1) {
                return INVALID;
            }
            for (int k = first + 1; k < n; k++) {
                if (digit(text, intStart, intDigits, fracStart, k) != 0) {
                    return INVALID;
                }
            }
        }
        // Digit k weighs 10^(lastWhole - k) nanos; below -1e9 or so nothing is whole.
        long lastWhole = intDigits + exponent + 8;
        long nanos = 0;
        for (int k = first; k < n && k <= lastWhole; k++) { // at most 19 digits: magnitude <= 9
            nanos = nanos * 10 + digit(text, intStart, intDigits, fracStart, k);
        }
        for (long k = n; k <= lastWhole; k++) { // implicit zeros up to the nano (at most 19)
            nanos *= 10;
        }
        long roundingDigit = lastWhole + 1;
        if (roundingDigit >= 0 && roundingDigit < n
                && digit(text, intStart, intDigits, fracStart, (int) roundingDigit) >= 5) {
            nanos++; // HALF_UP looks at the first dropped digit only
        }
        return nanos;
    }

    private static int digit(char[] text, int intStart, int intDigits, int fracStart, int k) {
        return (k < intDigits ? text[intStart + k] : text[fracStart + k - intDigits]) - '0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
