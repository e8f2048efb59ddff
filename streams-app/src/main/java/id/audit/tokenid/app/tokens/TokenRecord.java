package id.audit.tokenid.app.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.audit.tokenid.exporter.auth.Principal;
import id.audit.tokenid.exporter.auth.TokenDigests;
import id.audit.tokenid.schemas.TextRules;
import java.io.IOException;
import java.util.Optional;

/**
 * The {@code api-tokens} topic's contract (SPEC §3): key = lowercase hex SHA-256 of a token
 * ({@link TokenDigests#isHexDigest}: a key in uppercase hex is refused, as in the tokens file),
 * value = {@code {"org_id": "...", "role": "org"|"admin"}}, a tombstone revokes.
 */
public final class TokenRecord {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_VALUE_BYTES = 4096;

    private TokenRecord() {
    }

    /** Whether the key is a digest by the one digest rule, {@link TokenDigests#isHexDigest}. */
    public static boolean isDigest(String key) {
        return TokenDigests.isHexDigest(key);
    }

    /**
     * The principal a topic value grants, or empty when the value is malformed. The org id
     * follows the codec's rule ({@link TextRules#orgIdOrNull}): a string, 1..128 code points,
     * valid Unicode, not blank; trimmed and lowercased.
     */
    public static Optional<Principal> parseValue(byte[] value) {
        if (value == null || value.length > MAX_VALUE_BYTES) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(value);
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            JsonNode roleNode = node.path("role");
            String role = roleNode.isMissingNode() || roleNode.isNull() ? "org"
                    : roleNode.isTextual() ? TextRules.normalise(roleNode.textValue()) : "";
            if (role.equals("admin")) {
                return Optional.of(Principal.admin());
            }
            JsonNode orgNode = node.path("org_id");
            String org = orgNode.isTextual() ? TextRules.orgIdOrNull(orgNode.textValue()) : null;
            if (!role.equals("org") || org == null) {
                return Optional.empty();
            }
            return Optional.of(Principal.org(org));
        } catch (IOException malformed) {
            return Optional.empty();
        }
    }

    /** The JSON value the token service writes, for tools and tests. */
    public static String toJson(Principal principal) {
        return principal.role() == id.audit.tokenid.exporter.auth.Role.ADMIN
                ? "{\"role\":\"admin\"}"
                : "{\"org_id\":" + quote(principal.orgId().get()) + ",\"role\":\"org\"}";
    }

    private static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
