package id.audit.tokenid.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The codec's oracle: the JSON Schema, run by networknt json-schema-validator over a Jackson
 * tree, between the rules the schema's {@code $comment} lists because JSON Schema cannot express
 * them, each checked here by an independent means: before it, the raw-record rules (the JDK's
 * strict UTF-8 decoder, Jackson's duplicate detection and trailing token check, the same
 * documented parse limits); after it, the token-parts rule across fields (BigDecimal sums over
 * the parsed tree).
 */
final class ReferenceValidator {

    /** The reference's opinion of one record: valid or not, why not, and the parsed instance. */
    record Verdict(boolean valid, String why, JsonNode instance) {
    }

    private final ObjectMapper mapper;
    private final JsonSchema schema;

    ReferenceValidator() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(ApiCallCodec.streamReadConstraints())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper = JsonMapper.builder(factory)
                // Exact decimals: a double would round 1000000000.0000000001 onto the maximum.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        try (InputStream in = ReferenceValidator.class.getClassLoader()
                .getResourceAsStream(ApiCallCodec.SCHEMA_RESOURCE)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(mapper.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Verdict judge(byte[] value) {
        if (value == null || value.length == 0 || value.length > ApiCallCodec.MAX_RECORD_BYTES) {
            return new Verdict(false, "empty or over the size limit", null);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Verdict(false, "not UTF-8: " + e, null);
        }
        JsonNode instance;
        try {
            // From chars, not bytes: Jackson's byte reader would guess other encodings and skip a
            // byte order mark; as chars, a BOM or NUL is just an illegal character.
            instance = mapper.readTree(text);
        } catch (IOException e) {
            return new Verdict(false, "not JSON: " + e.getMessage(), null);
        }
        if (instance == null || instance.isMissingNode()) {
            return new Verdict(false, "no JSON value", null);
        }
        Set<ValidationMessage> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            return new Verdict(false, errors.toString(), instance);
        }
        String partsBroken = tokenPartsBroken(instance);
        return partsBroken == null ? new Verdict(true, "[]", instance) : new Verdict(false, partsBroken, instance);
    }

    /**
     * The $comment's rule across fields, for a schema-valid api_call: which part exceeds its
     * whole, or null. Exact sums of the parsed numbers (the schema has already bound each to
     * 0..2^53 and to a whole value).
     */
    private static String tokenPartsBroken(JsonNode instance) {
        JsonNode type = instance.get("type");
        if (type != null && type.isTextual() && !type.textValue().equals("api_call")) {
            return null; // another event type: no api_call rule applies
        }
        BigDecimal input = count(instance, "input_tokens");
        BigDecimal parts = count(instance, "cached_input_tokens").add(count(instance, "cache_write_input_tokens"));
        if (parts.compareTo(input) > 0) {
            return "token parts: cached + cache-write input " + parts.toPlainString() + " > input " + input.toPlainString();
        }
        BigDecimal output = count(instance, "output_tokens");
        BigDecimal reasoning = count(instance, "reasoning_tokens");
        if (reasoning.compareTo(output) > 0) {
            return "token parts: reasoning " + reasoning.toPlainString() + " > output " + output.toPlainString();
        }
        return null;
    }

    /** A token count as the contract reads it: absent or null is 0. */
    private static BigDecimal count(JsonNode instance, String name) {
        JsonNode value = instance.get(name);
        return value == null || value.isNull() ? BigDecimal.ZERO : value.decimalValue();
    }

    JsonSchema schema() {
        return schema;
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
