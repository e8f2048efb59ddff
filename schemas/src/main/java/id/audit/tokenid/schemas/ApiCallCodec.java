package id.audit.tokenid.schemas;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Decodes one Kafka record value into an {@link ApiCallEvent}, an {@link Ignored} other event
 * type, or a {@link Rejected} value, accepting exactly what {@value #SCHEMA_RESOURCE} accepts.
 *
 * <p>It runs once per record, so it streams over jackson-core's {@link JsonParser} (no tree, no
 * data binding) and allocates little: the strings it keeps, one small reader, and a
 * {@link java.math.BigDecimal} only for a token count or timestamp written with a fraction or an
 * exponent (costs, as numbers or strings, are read from the parser's chars without one). Never
 * throws on bad input.
 *
 * <p>Beyond the schema it enforces the raw-record rules the schema's {@code $comment} lists:
 * at most {@value #MAX_RECORD_BYTES} bytes, strict UTF-8 without byte order mark or NUL, one JSON
 * text, no duplicate member names at any depth, nesting at most {@value #MAX_NESTING_DEPTH}
 * deep, number literals of at most {@value #MAX_NUMBER_CHARS} chars. The last two are also what
 * keeps hostile input from costing much memory or time.
 */
public final class ApiCallCodec {

    /** The largest record value decoded; a larger one is rejected before parsing. */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    /** Classpath location of the event's JSON Schema, the contract this codec implements. */
    public static final String SCHEMA_RESOURCE = "schemas/api_call.schema.json";
    /** Deepest nesting of arrays and objects accepted, the top-level object included. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Longest number literal accepted (jackson-core's default, named here as contract). */
    static final int MAX_NUMBER_CHARS = 1000;

    private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_CHARS)
            // Strings and names are bounded by the record size already; these limits only make
            // sure jackson's own smaller defaults never reject a record the schema accepts.
            .maxStringLength(MAX_RECORD_BYTES)
            .maxNameLength(MAX_RECORD_BYTES)
            .maxDocumentLength(MAX_RECORD_BYTES)
            .build();

    // Thread-safe once built; shared by every stream thread.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(CONSTRAINTS)
            // Parse errors quote input in their message: keep the quote short.
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(24)
                    .maxRawContentLength(24)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Hostile records could otherwise fill the JVM's string pool with unique names.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private ApiCallCodec() {
    }

    /**
     * Decodes one record value.
     *
     * @param value the record value's bytes; null or empty is rejected as {@link
     *              RejectReason#EMPTY}
     * @return the event, an ignored other event type, or why the value is rejected
     */
    public static DecodeResult decode(byte[] value) {
        if (value == null || value.length == 0) {
            return new Rejected(RejectReason.EMPTY, "record value is empty");
        }
        if (value.length > MAX_RECORD_BYTES) {
            return new Rejected(RejectReason.TOO_LARGE,
                    "record value has " + value.length + " bytes, more than " + MAX_RECORD_BYTES);
        }
        if (!Utf8.isStrictJsonUtf8(value)) {
            return new Rejected(RejectReason.NOT_JSON,
                    "not well-formed UTF-8, or starts with a byte order mark, or has a NUL byte");
        }
        try (JsonParser parser = FACTORY.createParser(value)) {
            return new ApiCallReader(parser).read();
        } catch (JsonProcessingException e) {
            return new Rejected(RejectReason.NOT_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Cannot happen on a byte array, but the parser's API declares it.
            return new Rejected(RejectReason.NOT_JSON, "not JSON: " + e.getMessage());
        }
    }

    /** The parse limits, shared with the schema agreement test so both sides parse alike. */
    static StreamReadConstraints streamReadConstraints() {
        return CONSTRAINTS;
    }
}
