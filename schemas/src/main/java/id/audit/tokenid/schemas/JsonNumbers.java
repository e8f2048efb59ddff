package id.audit.tokenid.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Exact readings of the parser's current number token, judged by the number's mathematical value
 * as JSON Schema does (so {@code 1.0} and {@code 1e2} are integers, {@code -0.0} is 0), never
 * through a double.
 */
final class JsonNumbers {

    /** Returned for a number outside the range asked for. */
    static final long INVALID = -1;

    private JsonNumbers() {
    }

    /** The current number if it is a whole number in {@code 0..max}, else {@link #INVALID}. */
    static long wholeNumber(JsonParser parser, long max) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return INVALID; // beyond long, so beyond max either way
            }
            long n = parser.getLongValue();
            return n < 0 || n > max ? INVALID : n;
        }
        BigDecimal decimal = decimalValue(parser);
        if (decimal == null) {
            // Only zero is a whole number in range when the exponent is beyond BigDecimal.
            return beyondDecimal(parser.getText()) == Magnitude.ZERO ? 0 : INVALID;
        }
        if (decimal.signum() == 0) {
            return 0;
        }
        // Compare before stripping zeros: compareTo is cheap even for 1e999999999.
        if (decimal.signum() < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
            return INVALID;
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        return stripped.scale() > 0 ? INVALID : stripped.longValueExact();
    }

    /** The current number as nano-dollars (see {@link CostNanos}), or {@link #INVALID}. */
    static long costNanos(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return INVALID;
            }
            long usd = parser.getLongValue();
            return usd < 0 || usd > CostNanos.MAX_USD ? INVALID : usd * CostNanos.NANOS_PER_USD;
        }
        String text = parser.getText();
        if (isPlainDecimal(text)) {
            // The common "0.0123": exact without a BigDecimal.
            return CostNanos.parsePlain(text, 0, text.length(), Integer.MAX_VALUE);
        }
        BigDecimal decimal = decimalValue(parser);
        if (decimal != null) {
            return CostNanos.fromDecimal(decimal);
        }
        switch (beyondDecimal(text)) {
            case ZERO:
            case TINY_POSITIVE:
                return 0; // below 1e-2147483647 USD rounds to 0 nanos
            default:
                return INVALID;
        }
    }

    /** The current number as an exact decimal, or null when its exponent is beyond BigDecimal. */
    private static BigDecimal decimalValue(JsonParser parser) throws IOException {
        try {
            return parser.getDecimalValue();
        } catch (NumberFormatException | JsonProcessingException e) {
            return null;
        }
    }

    /** Where a number lies whose exponent BigDecimal cannot hold: all the rules need to know. */
    private enum Magnitude { ZERO, TINY_POSITIVE, TINY_NEGATIVE, HUGE }

    /**
     * Classifies a JSON number with an exponent beyond +-2^31. Its mantissa has at most 1000
     * digits, so unless it is zero it is astronomically large or small.
     */
    private static Magnitude beyondDecimal(String number) {
        int exponent = Math.max(number.indexOf('e'), number.indexOf('E'));
        boolean zero = true;
        for (int i = 0; i < exponent; i++) {
            char c = number.charAt(i);
            zero &= c < '1' || c > '9';
        }
        if (zero) {
            return Magnitude.ZERO;
        }
        if (number.charAt(exponent + 1) != '-') {
            return Magnitude.HUGE;
        }
        return number.charAt(0) == '-' ? Magnitude.TINY_NEGATIVE : Magnitude.TINY_POSITIVE;
    }

    /** Digits and a point only: no sign, no exponent (JSON already forbids the rest). */
    private static boolean isPlainDecimal(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == '-' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }
}
