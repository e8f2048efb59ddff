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
            return isZero(parser.getText()) ? 0 : INVALID;
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

    /**
     * The current number as nano-dollars (see {@link CostNanos}), or {@link #INVALID}: a plain
     * integer from the parser's long, anything else from its text, exactly and without a
     * BigDecimal (the same reading as a {@code cost_usd} string of the same text).
     */
    static long costNanos(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long usd = parser.getLongValue();
            return usd < 0 || usd > CostNanos.MAX_USD ? INVALID : usd * CostNanos.NANOS_PER_USD;
        }
        return CostNanos.fromJsonNumber(parser.getTextCharacters(), parser.getTextOffset(),
                parser.getTextLength(), false);
    }

    /** The current number as an exact decimal, or null when its exponent is beyond BigDecimal. */
    private static BigDecimal decimalValue(JsonParser parser) throws IOException {
        try {
            return parser.getDecimalValue();
        } catch (NumberFormatException | JsonProcessingException e) {
            return null;
        }
    }

    /** Whether a JSON number's mantissa is all zeros (so its exponent does not matter). */
    private static boolean isZero(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }
}
