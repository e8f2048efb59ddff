package id.audit.tokenid.app.budgets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import id.audit.tokenid.schemas.TextRules;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code api-budgets} topic's contract, the one rule the global store, the lookup and the
 * {@code budget} CLI all apply. Key = an org id by the codec's rule ({@link
 * TextRules#orgIdOrNull}: trimmed, lowercased). Value = a JSON object of at most {@value
 * #MAX_VALUE_BYTES} bytes:
 * <pre>{"monthly_usd": "1000", "time_zone": "Europe/Berlin"}</pre>
 * <ul>
 *   <li>{@code monthly_usd}, required: a JSON string or number in plain decimal (digits, an
 *       optional point and 1..{@value #MAX_FRACTION_DIGITS} digits; no sign, exponent, leading
 *       zero or space), 0..10^12 USD. Read exactly (never through a double) into nano-dollars,
 *       so it is refused rather than rounded beyond nine decimals.</li>
 *   <li>{@code time_zone}, optional ({@code null} = absent = UTC): a region id of the time-zone
 *       database as {@link ZoneId#getAvailableZoneIds()} lists it ({@code Europe/Berlin},
 *       {@code UTC}); a bare offset such as {@code +01:00} is refused: months follow the
 *       region's daylight-saving rules, which an offset cannot.</li>
 *   <li>Any other member is refused rather than ignored: a misspelt {@code timezone} would
 *       otherwise silently count the org's months in UTC. A future member therefore needs
 *       readers that know it before writers use it. Duplicate members and anything after the
 *       object are refused too.</li>
 * </ul>
 */
public final class BudgetRecord {

    public static final int MAX_VALUE_BYTES = 1024;
    public static final int MAX_FRACTION_DIGITS = 9;
    public static final BigDecimal MAX_MONTHLY_USD = BigDecimal.TEN.pow(12);
    public static final String MONTHLY_USD = "monthly_usd";
    public static final String TIME_ZONE = "time_zone";

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");
    private static final int MAX_SHOWN_CHARS = 40;
    /** Read once: the list is a fresh copy on every call, and lookups parse on every scrape. */
    private static final Set<String> REGION_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private BudgetRecord() {
    }

    /** What a topic value says: a budget, or why it is none. */
    public sealed interface Value permits Budget, Rejected {
    }

    public record Budget(OrgBudget budget) implements Value {
    }

    /**
     * @param member  {@value #MONTHLY_USD}, {@value #TIME_ZONE}, or empty for the value as a whole
     * @param problem what is wrong, phrased to follow the member's name
     */
    public record Rejected(String member, String problem) implements Value {
        /** One line for a log: the member and the problem. */
        public String message() {
            return (member.isEmpty() ? "the value" : member) + " " + problem;
        }
    }

    /**
     * The org a record key names, normalised, or null when the key is no org id: missing, not
     * valid UTF-8, or refused by {@link TextRules#orgIdOrNull}.
     */
    public static String orgOf(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
            return TextRules.orgIdOrNull(text);
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /** Reads a (non-tombstone) value by the rules above; never throws. */
    public static Value parseValue(byte[] value) {
        if (value == null) {
            return new Rejected("", "is missing");
        }
        if (value.length > MAX_VALUE_BYTES) {
            return new Rejected("", "is " + value.length + " bytes; at most " + MAX_VALUE_BYTES);
        }
        try (JsonParser parser = JSON.createParser(value)) {
            return read(parser);
        } catch (JsonProcessingException e) {
            return new Rejected("", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Rejected("", "could not be read: " + e.getMessage());
        }
    }

    private static Value read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return new Rejected("", "must be a JSON object such as {\"monthly_usd\": \"1000\"}");
        }
        String monthly = null;
        String zone = null;
        JsonToken token = parser.nextToken();
        for (; token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case MONTHLY_USD -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT
                            && value != JsonToken.VALUE_NUMBER_FLOAT) {
                        return new Rejected(MONTHLY_USD, "must be a JSON string or number, was " + kind(value));
                    }
                    monthly = parser.getText(); // a number's text as written: never through a double
                }
                case TIME_ZONE -> {
                    if (value == JsonToken.VALUE_STRING) {
                        zone = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        return new Rejected(TIME_ZONE, "must be a JSON string, was " + kind(value));
                    }
                }
                default -> {
                    return new Rejected("", "has an unknown member " + shown(name) + " (only " + MONTHLY_USD
                            + " and " + TIME_ZONE + ")");
                }
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            return new Rejected("", "must be one JSON object and nothing after it");
        }
        if (monthly == null) {
            return new Rejected(MONTHLY_USD, "is missing");
        }
        BigInteger nanos = monthlyNanos(monthly);
        if (nanos == null) {
            return new Rejected(MONTHLY_USD, monthlyProblem(monthly));
        }
        ZoneId zoneId = zone == null ? OrgBudget.DEFAULT_ZONE : zoneOrNull(zone);
        if (zoneId == null) {
            return new Rejected(TIME_ZONE, zoneProblem(zone));
        }
        return new Budget(new OrgBudget(nanos, zoneId));
    }

    /** Exact nano-dollars of a plain decimal within the bounds, or null. */
    static BigInteger monthlyNanos(String text) {
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            return null;
        }
        BigDecimal usd = new BigDecimal(text);
        if (usd.scale() > MAX_FRACTION_DIGITS || usd.compareTo(MAX_MONTHLY_USD) > 0) {
            return null;
        }
        return usd.movePointRight(MAX_FRACTION_DIGITS).toBigIntegerExact();
    }

    private static String monthlyProblem(String text) {
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            return "must be a plain decimal such as 1000 or 2500.50 (no sign, exponent, leading zero or space), was "
                    + shown(text);
        }
        BigDecimal usd = new BigDecimal(text);
        if (usd.scale() > MAX_FRACTION_DIGITS) {
            return "has " + usd.scale() + " digits after the point; at most " + MAX_FRACTION_DIGITS
                    + " (nano-dollars), was " + shown(text);
        }
        return "must be at most " + MAX_MONTHLY_USD.toPlainString() + " USD, was " + shown(text);
    }

    /** The zone of a region id of the time-zone database, or null (offsets, unknown ids). */
    static ZoneId zoneOrNull(String text) {
        return REGION_IDS.contains(text) ? ZoneId.of(text) : null;
    }

    private static String zoneProblem(String text) {
        String hint = REGION_IDS.stream().filter(id -> id.equalsIgnoreCase(text)).findFirst()
                .map(id -> " (did you mean " + id + "?)").orElse("");
        return "must be a time-zone region id such as Europe/Berlin or UTC (not an offset), was " + shown(text) + hint;
    }

    /** The JSON value that {@link #parseValue} reads, written as the CLI writes it (both members strings). */
    public static String toJson(String monthlyUsd, String timeZoneOrNull) {
        StringBuilder json = new StringBuilder("{\"").append(MONTHLY_USD).append("\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(monthlyUsd)).append('"');
        if (timeZoneOrNull != null) {
            json.append(",\"").append(TIME_ZONE).append("\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(timeZoneOrNull)).append('"');
        }
        return json.append('}').toString();
    }

    /** Text from a record, safe for one log line: JSON-quoted (control characters escaped) and cut short. */
    public static String shown(String text) {
        String cut = text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "..." : text;
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(cut)) + "\"";
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }
}
