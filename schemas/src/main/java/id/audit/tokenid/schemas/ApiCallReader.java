package id.audit.tokenid.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads one JSON object off a parser into an {@link ApiCallEvent}: one instance per record,
 * holding the fields seen so far and the first rule broken.
 *
 * <p>A broken field rule does not stop the reading: a later {@code "type": "other"} turns the
 * record into {@link Ignored}, as the schema's if/then/else does, and the rest must still be one
 * well-formed JSON text without duplicate names.
 *
 * <p>Over 200 lines: one reader per field of the schema, in one place; together they are the
 * codec's rule book.
 */
final class ApiCallReader {

    static final long MAX_TOKENS = 1L << 53;
    private static final String API_CALL = "api_call";

    // Bits of the known fields seen, for duplicate detection without a set.
    private static final int TYPE = 1;
    private static final int EVENT_ID = 1 << 1;
    private static final int ORG_ID = 1 << 2;
    private static final int PROVIDER = 1 << 3;
    private static final int MODEL = 1 << 4;
    private static final int INPUT_TOKENS = 1 << 5;
    private static final int OUTPUT_TOKENS = 1 << 6;
    private static final int COST_USD = 1 << 7;
    private static final int TIMESTAMP = 1 << 8;
    private static final int CACHED_INPUT_TOKENS = 1 << 9;
    private static final int CACHE_WRITE_INPUT_TOKENS = 1 << 10;
    private static final int REASONING_TOKENS = 1 << 11;

    private final JsonParser parser;
    private int seen;
    private Set<String> unknownNames;
    private String duplicate;

    private String otherType;
    private String eventId;
    private String orgId;
    private String provider;
    private String model;
    private long inputTokens;
    private long outputTokens;
    private long cachedInputTokens;
    private long cacheWriteInputTokens;
    private long reasoningTokens;
    private long costNanos;
    private boolean costPresent;
    private long timestampMillis = ApiCallEvent.NO_TIMESTAMP;

    private RejectReason failure;
    private String failureDetail;

    ApiCallReader(JsonParser parser) {
        this.parser = parser;
    }

    /** Reads the whole value; parse errors propagate for the codec to report as not JSON. */
    DecodeResult read() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new Rejected(RejectReason.NOT_JSON, "no JSON value, only whitespace");
        }
        if (first != JsonToken.START_OBJECT) {
            if (!skip(first)) {
                return duplicateKey();
            }
            Rejected trailing = trailingContent();
            return trailing != null ? trailing
                    : new Rejected(RejectReason.NOT_OBJECT, "top-level value is " + kind(first) + ", not an object");
        }
        for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!readMember(name, value)) {
                return duplicateKey();
            }
        }
        Rejected trailing = trailingContent();
        return trailing != null ? trailing : result();
    }

    /** Reads one member; false when its name, or a name nested in its value, repeats. */
    private boolean readMember(String name, JsonToken value) throws IOException {
        int bit = bitOf(name);
        if (bit == 0) {
            if (unknownNames == null) {
                unknownNames = new HashSet<>();
            }
            if (!unknownNames.add(name)) {
                duplicate = name;
                return false;
            }
            return skip(value);
        }
        if ((seen & bit) != 0) {
            duplicate = name;
            return false;
        }
        seen |= bit;
        if (value == JsonToken.VALUE_NULL) {
            // What many serialisers write for an absent value: the field is absent (an absent
            // type is api_call, an absent org_id is missing_org_id).
            return true;
        }
        switch (bit) {
            case TYPE:
                return readType(value);
            case EVENT_ID:
                eventId = readString(value, RejectReason.INVALID_EVENT_ID, "event_id", 1, 128);
                break;
            case ORG_ID:
                orgId = readOrgId(value);
                break;
            case PROVIDER:
                provider = readString(value, RejectReason.INVALID_PROVIDER, "provider", 0, 128);
                break;
            case MODEL:
                model = readString(value, RejectReason.INVALID_MODEL, "model", 0, 256);
                break;
            case INPUT_TOKENS:
                inputTokens = readTokens(value, "input_tokens");
                break;
            case OUTPUT_TOKENS:
                outputTokens = readTokens(value, "output_tokens");
                break;
            case CACHED_INPUT_TOKENS:
                cachedInputTokens = readTokens(value, "cached_input_tokens");
                break;
            case CACHE_WRITE_INPUT_TOKENS:
                cacheWriteInputTokens = readTokens(value, "cache_write_input_tokens");
                break;
            case REASONING_TOKENS:
                reasoningTokens = readTokens(value, "reasoning_tokens");
                break;
            case COST_USD:
                costNanos = readCost(value);
                costPresent = true;
                break;
            default:
                timestampMillis = readTimestamp(value);
                break;
        }
        return duplicate == null;
    }

    private static int bitOf(String name) {
        switch (name) {
            case "type": return TYPE;
            case "event_id": return EVENT_ID;
            case "org_id": return ORG_ID;
            case "provider": return PROVIDER;
            case "model": return MODEL;
            case "input_tokens": return INPUT_TOKENS;
            case "output_tokens": return OUTPUT_TOKENS;
            case "cached_input_tokens": return CACHED_INPUT_TOKENS;
            case "cache_write_input_tokens": return CACHE_WRITE_INPUT_TOKENS;
            case "reasoning_tokens": return REASONING_TOKENS;
            case "cost_usd": return COST_USD;
            case "timestamp": return TIMESTAMP;
            default: return 0;
        }
    }

    private boolean readType(JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            fail(RejectReason.INVALID_TYPE, "type must be a string, got " + kind(value));
            return skip(value);
        }
        if (!isApiCall()) {
            otherType = parser.getText();
        }
        return true;
    }

    /** Compares the current string with "api_call" without making a String of it. */
    private boolean isApiCall() throws IOException {
        if (parser.getTextLength() != API_CALL.length()) {
            return false;
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        for (int i = 0; i < API_CALL.length(); i++) {
            if (chars[offset + i] != API_CALL.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The normalised org id, or null (after recording why) when it breaks the rule. */
    private String readOrgId(JsonToken value) throws IOException {
        // readString names the first broken rule (type, lone surrogate, length) in the detail;
        // TextRules.orgIdOrNull is the one rule every input shares, so what is left is blankness.
        String raw = readString(value, RejectReason.INVALID_ORG_ID, "org_id", 1, TextRules.MAX_ORG_ID_CODE_POINTS);
        if (raw == null) {
            return null;
        }
        String orgId = TextRules.orgIdOrNull(raw);
        if (orgId == null) {
            fail(RejectReason.INVALID_ORG_ID, "org_id is blank");
        }
        return orgId;
    }

    /** The raw string, or null (after recording the failure) when it breaks the rule. */
    private String readString(JsonToken value, RejectReason reason, String field, int min, int max)
            throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            fail(reason, field + " must be a string, got " + kind(value));
            skip(value);
            return null;
        }
        String s = parser.getText();
        if (Texts.hasLoneSurrogate(s)) {
            // Never an id: it cannot be encoded back to UTF-8, and a lenient encoder would turn
            // it into '?' or U+FFFD, merging distinct values into another id.
            fail(reason, field + " is not valid Unicode: lone surrogate");
            return null;
        }
        if (!Texts.codePointLengthWithin(s, min, max)) {
            fail(reason, field + " must have " + min + ".." + max + " code points, has "
                    + s.codePointCount(0, s.length()));
            return null;
        }
        return s;
    }

    private long readTokens(JsonToken value, String field) throws IOException {
        long tokens = wholeNumber(value, MAX_TOKENS);
        if (tokens < 0) {
            fail(RejectReason.INVALID_TOKENS, field + " must be a whole number in 0..2^53, got "
                    + describe(value));
            return 0;
        }
        return tokens;
    }

    private long readTimestamp(JsonToken value) throws IOException {
        long millis;
        if (value == JsonToken.VALUE_STRING) {
            millis = Timestamps.parseIso(parser.getText());
        } else {
            millis = wholeNumber(value, Timestamps.MAX_EPOCH_MILLIS);
            millis = millis < 0 ? Timestamps.INVALID : millis;
        }
        if (millis == Timestamps.INVALID) {
            fail(RejectReason.INVALID_TIMESTAMP, "timestamp must be epoch milliseconds in 0.."
                    + Timestamps.MAX_EPOCH_MILLIS + " or an RFC 3339 date-time with offset, got "
                    + describe(value));
            return ApiCallEvent.NO_TIMESTAMP;
        }
        return millis;
    }

    private long readCost(JsonToken value) throws IOException {
        long nanos;
        if (value.isNumeric()) {
            nanos = JsonNumbers.costNanos(parser);
        } else if (value == JsonToken.VALUE_STRING) {
            int length = parser.getTextLength();
            nanos = length > CostNanos.MAX_STRING_CHARS ? CostNanos.INVALID
                    : CostNanos.fromJsonNumber(parser.getTextCharacters(), parser.getTextOffset(), length, true);
        } else {
            skip(value);
            nanos = CostNanos.INVALID;
        }
        if (nanos == CostNanos.INVALID) {
            fail(RejectReason.INVALID_COST, "cost_usd must be a number or a string in JSON number syntax, in 0.."
                    + CostNanos.MAX_USD + ", got " + describe(value));
            return 0;
        }
        return nanos;
    }

    /** The current number if it is whole and in {@code 0..max}, else -1 (after skipping). */
    private long wholeNumber(JsonToken value, long max) throws IOException {
        if (value.isNumeric()) {
            return JsonNumbers.wholeNumber(parser, max);
        }
        skip(value);
        return -1;
    }

    /**
     * Skips the current value, checking that no object inside it repeats a name (the reference
     * parser refuses such JSON at any depth). Depth is bounded by the parser's nesting limit.
     *
     * @return false when a name repeats, with {@link #duplicate} set
     */
    private boolean skip(JsonToken value) throws IOException {
        if (value == JsonToken.START_ARRAY) {
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                if (!skip(t)) {
                    return false;
                }
            }
        } else if (value == JsonToken.START_OBJECT) {
            String firstName = null;
            Set<String> names = null; // most nested objects are small: no set for one member
            for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                String name = parser.currentName();
                if (firstName == null) {
                    firstName = name;
                } else {
                    if (names == null) {
                        names = new HashSet<>();
                        names.add(firstName);
                    }
                    if (!names.add(name)) {
                        duplicate = name;
                        return false;
                    }
                }
                if (!skip(parser.nextToken())) {
                    return false;
                }
            }
        }
        return true;
    }

    private Rejected trailingContent() throws IOException {
        JsonToken after = parser.nextToken();
        return after == null ? null
                : new Rejected(RejectReason.NOT_JSON, "content after the JSON value: " + kind(after));
    }

    private Rejected duplicateKey() {
        return new Rejected(RejectReason.DUPLICATE_KEY,
                "member name " + Texts.quote(duplicate) + " appears twice in one object");
    }

    private void fail(RejectReason reason, String detail) {
        if (failure == null) {
            failure = reason;
            failureDetail = detail;
        }
    }

    private DecodeResult result() {
        if (otherType != null) {
            return new Ignored(otherType);
        }
        if (failure != null) {
            return new Rejected(failure, failureDetail);
        }
        if (orgId == null) {
            return new Rejected(RejectReason.MISSING_ORG_ID, "org_id is required");
        }
        // Each part is at most 2^53, so these sums cannot overflow a long.
        if (cachedInputTokens + cacheWriteInputTokens > inputTokens) {
            return new Rejected(RejectReason.TOKEN_PARTS_EXCEED_TOTAL, "cached_input_tokens ("
                    + cachedInputTokens + ") plus cache_write_input_tokens (" + cacheWriteInputTokens
                    + ") exceed input_tokens (" + inputTokens + ")");
        }
        if (reasoningTokens > outputTokens) {
            return new Rejected(RejectReason.TOKEN_PARTS_EXCEED_TOTAL, "reasoning_tokens (" + reasoningTokens
                    + ") exceed output_tokens (" + outputTokens + ")");
        }
        return new ApiCallEvent(eventId, orgId, TextRules.normaliseOrNull(provider),
                TextRules.normaliseOrNull(model), inputTokens, outputTokens, cachedInputTokens,
                cacheWriteInputTokens, reasoningTokens, costNanos, costPresent, timestampMillis);
    }

    /** The current value for a message: numbers quoted (shortened), other kinds named. */
    private String describe(JsonToken value) throws IOException {
        switch (value) {
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return Texts.quote(parser.getText());
            case VALUE_STRING:
                return "string " + Texts.quote(parser.getText());
            default:
                return kind(value);
        }
    }

    private static String kind(JsonToken token) {
        switch (token) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return token.asString() == null ? token.name() : token.asString();
        }
    }
}
