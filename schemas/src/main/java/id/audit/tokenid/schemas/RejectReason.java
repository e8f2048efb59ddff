package id.audit.tokenid.schemas;

/**
 * Why a record value was rejected. Each {@link #label()} is part of the operational contract: it
 * is the dead-letter header value and a metrics label, so labels never change once released.
 *
 * <p>When several fields are wrong, the first one in document order is reported. JSON {@code null}
 * in an optional field is the field left out, never a reason by itself.
 */
public enum RejectReason {
    /** The value is null or has no bytes (a tombstone, or a producer bug). */
    EMPTY("empty"),
    /** The value is longer than {@link ApiCallCodec#MAX_RECORD_BYTES}; checked before parsing. */
    TOO_LARGE("too_large"),
    /**
     * Not one JSON text in well-formed UTF-8: malformed JSON, trailing content, invalid UTF-8 (a
     * surrogate encoded in UTF-8 bytes, CESU-8 style, included: never decoded to U+FFFD), a byte
     * order mark or NUL byte, nesting deeper than 64, a number literal over 1000 chars.
     */
    NOT_JSON("not_json"),
    /** Well-formed JSON, but the top-level value is not an object. */
    NOT_OBJECT("not_object"),
    /** Some object in the value has two members with the same name. */
    DUPLICATE_KEY("duplicate_key"),
    /** {@code type} is present but neither a string nor null (null means absent: api_call). */
    INVALID_TYPE("invalid_type"),
    /** An {@code api_call} event without {@code org_id}, or with {@code "org_id": null}. */
    MISSING_ORG_ID("missing_org_id"),
    /**
     * {@code org_id} is not a string, is blank (no character above U+0020, see {@link
     * TextRules#isBlank}), is longer than 128 code points, or is not valid Unicode (a lone
     * surrogate such as the escape <code>&#92;ud800</code>).
     */
    INVALID_ORG_ID("invalid_org_id"),
    /**
     * {@code event_id} is neither a string nor null, or is empty, or is longer than 128 code
     * points, or is not valid Unicode (a lone surrogate).
     */
    INVALID_EVENT_ID("invalid_event_id"),
    /**
     * {@code provider} is neither a string nor null, or is longer than 128 code points, or is not
     * valid Unicode (a lone surrogate). A blank provider is not an error: it means absent.
     */
    INVALID_PROVIDER("invalid_provider"),
    /**
     * {@code model} is neither a string nor null, or is longer than 256 code points, or is not
     * valid Unicode (a lone surrogate). A blank model is not an error: it means absent.
     */
    INVALID_MODEL("invalid_model"),
    /**
     * {@code input_tokens}, {@code output_tokens}, {@code cached_input_tokens},
     * {@code cache_write_input_tokens} or {@code reasoning_tokens} is neither null nor a whole
     * number in 0..2^53.
     */
    INVALID_TOKENS("invalid_tokens"),
    /**
     * A token part exceeds its whole: {@code cached_input_tokens} plus
     * {@code cache_write_input_tokens} exceed {@code input_tokens}, or {@code reasoning_tokens}
     * exceed {@code output_tokens} (an absent count is 0). Reported after every field rule.
     */
    TOKEN_PARTS_EXCEED_TOTAL("token_parts_exceed_total"),
    /**
     * {@code cost_usd} is neither null, nor a JSON number, nor a string in JSON number syntax
     * (exponents included, at most 1000 chars, not {@code "12345678901e-5"} or {@code "0.01e10"}:
     * see the schema), or is negative (any zero, {@code -0} included, is 0), or is above {@link
     * CostNanos#MAX_USD} USD.
     */
    INVALID_COST("invalid_cost"),
    /**
     * {@code timestamp} is neither null, nor epoch milliseconds in 0..253402300799999, nor an
     * RFC 3339 date-time with an offset (see the schema for the exact form).
     */
    INVALID_TIMESTAMP("invalid_timestamp");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** The stable lowercase label: a dead-letter header value and a metrics label value. */
    public String label() {
        return label;
    }
}
