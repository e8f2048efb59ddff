package id.audit.tokenid.app.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The prices topic's contract. Key: {@code provider|pattern|valid_from} exactly as
 * {@link PriceRow#key()} spells it (lower case, trimmed, date {@code YYYY-MM-DD}), so that one row
 * has one key and a tombstone removes what it names. Value: a JSON object
 *
 * <pre>{"input": "2.50", "cached_input": "1.25", "cache_write_input": null, "output": "10"}</pre>
 *
 * prices in USD per million tokens as JSON strings or numbers in plain decimal (read exactly,
 * never as a double); {@code cached_input} and {@code cache_write_input} absent or null mean the
 * input price. {@code provider}, {@code model} and {@code valid_from} may be repeated in the value
 * and must then match the key; {@code source_url}, {@code source_date} and {@code note} are for
 * people. Any other field makes the value invalid: a misspelt {@code cached_imput} must not quietly
 * price cached tokens at the input price.
 */
public final class PriceRecord {

    static final int MAX_VALUE_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Set<String> PRICE_FIELDS = Set.of("input", "cached_input", "cache_write_input", "output");
    private static final Set<String> OTHER_FIELDS =
            Set.of("provider", "model", "valid_from", "source_url", "source_date", "note");

    private PriceRecord() {
    }

    /** A topic value read: the row, or why it is not one. */
    public sealed interface Parsed {
    }

    public record Valid(PriceRow row) implements Parsed {
    }

    public record Invalid(String problem) implements Parsed {
    }

    /** Why a topic key is not a row's key, or null when it is one. */
    public static String keyProblem(String key) {
        if (key == null) {
            return "no key";
        }
        String[] parts = key.split("\\|", -1);
        if (parts.length != 3) {
            return "the key must be provider|model|valid_from, was " + PriceRow.quote(key);
        }
        try {
            // The row's own checks of provider, pattern and date, with prices that cannot fail;
            // the date's spelling is checked by parseDate (YYYY-MM-DD, as key() writes it).
            new PriceRow(parts[0], parts[1], PriceRow.parseDate(parts[2]),
                    BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
            return null;
        } catch (IllegalArgumentException e) {
            return "key " + PriceRow.quote(key) + ": " + e.getMessage();
        }
    }

    /** Reads a topic record; {@code value} is not null (a tombstone is no row). */
    public static Parsed parse(String key, byte[] value) {
        String keyProblem = keyProblem(key);
        if (keyProblem != null) {
            return new Invalid(keyProblem);
        }
        if (value.length > MAX_VALUE_BYTES) {
            return new Invalid("the value is larger than " + MAX_VALUE_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            return new Invalid("the value is not JSON");
        }
        if (node == null || !node.isObject()) {
            return new Invalid("the value is not a JSON object");
        }
        String[] parts = key.split("\\|", -1);
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                String field = it.next().getKey();
                if (!PRICE_FIELDS.contains(field) && !OTHER_FIELDS.contains(field)) {
                    return new Invalid("unknown field " + PriceRow.quote(field));
                }
            }
            requireSame(node, "provider", parts[0]);
            requireSame(node, "model", parts[1]);
            requireSame(node, "valid_from", parts[2]);
            PriceRow row = PriceRow.parse(parts[0], parts[1], parts[2], price(node, "input"),
                    price(node, "cached_input"), price(node, "cache_write_input"), price(node, "output"));
            return new Valid(row);
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    /** The topic value of a row (prices only; the key names the row), for tools and tests. */
    public static String toJson(PriceRow row) {
        ObjectNode node = JSON.createObjectNode();
        node.put("input", row.input().toPlainString());
        node.put("cached_input", row.cachedInput().toPlainString());
        node.put("cache_write_input", row.cacheWriteInput().toPlainString());
        node.put("output", row.output().toPlainString());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A price field's text: a string as written, a number exactly as a plain decimal; null when absent. */
    private static String price(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            BigDecimal exact = value.decimalValue();
            // Bounded before it is written out: 1e999999999 would be a billion digits.
            if (exact.precision() - exact.scale() > 12 || exact.scale() > 40) {
                throw new IllegalArgumentException(field + " price is out of range: " + value);
            }
            return (exact.scale() < 0 ? exact.setScale(0) : exact).toPlainString();
        }
        throw new IllegalArgumentException(field + " price must be a string or a number");
    }

    private static void requireSame(JsonNode node, String field, String fromKey) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && value.textValue().equals(fromKey))) {
            throw new IllegalArgumentException(field + " in the value differs from the key's " + PriceRow.quote(fromKey));
        }
    }
}
