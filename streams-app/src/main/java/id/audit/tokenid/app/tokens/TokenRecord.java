package id.audit.tokenid.app.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import id.audit.tokenid.exporter.auth.Principal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code api-tokens} topic's contract (SPEC §3): key = lowercase hex SHA-256 of a token,
 * value = {@code {"org_id": "...", "role": "org"|"admin"}}, a tombstone revokes.
 */
public final class TokenRecord {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_VALUE_BYTES = 4096;

    private TokenRecord() {
    }

    public static boolean isDigest(String key) {
        return key != null && DIGEST.matcher(key).matches();
    }

    /** The principal a topic value grants, or empty when the value is malformed. */
    public static Optional<Principal> parseValue(byte[] value) {
        if (value == null || value.length > MAX_VALUE_BYTES) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(value);
            String role = node.path("role").asText("org").trim().toLowerCase(Locale.ROOT);
            if (role.equals("admin")) {
                return Optional.of(Principal.admin());
            }
            String org = node.path("org_id").asText("").trim().toLowerCase(Locale.ROOT);
            if (!role.equals("org") || org.isEmpty() || org.codePointCount(0, org.length()) > 128) {
                return Optional.empty();
            }
            return Optional.of(Principal.org(org));
        } catch (Exception malformed) {
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
