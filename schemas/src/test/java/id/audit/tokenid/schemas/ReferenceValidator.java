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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The codec's oracle: the JSON Schema, run by networknt json-schema-validator over a Jackson
 * tree, after the raw-record rules the schema's {@code $comment} lists, each checked here by an
 * independent means (the JDK's strict UTF-8 decoder, Jackson's duplicate detection and trailing
 * token check, the same documented parse limits).
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
        return new Verdict(errors.isEmpty(), errors.toString(), instance);
    }

    JsonSchema schema() {
        return schema;
    }

    ObjectMapper mapper() {
        return mapper;
    }
}
