package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import java.time.Instant;

/**
 * Renders a counted event back to {@code api_call} JSON, for the rare dead letter raised after
 * repartitioning (an overflowing total), when the original bytes are no longer at hand.
 */
final class CountedEventJson {

    private CountedEventJson() {
    }

    static String render(ApiCallEvent event) {
        StringBuilder json = new StringBuilder(128).append("{\"type\":\"api_call\"");
        field(json, "event_id", event.eventId());
        field(json, "org_id", event.orgId());
        field(json, "provider", event.provider());
        field(json, "model", event.model());
        json.append(",\"input_tokens\":").append(event.inputTokens())
                .append(",\"output_tokens\":").append(event.outputTokens())
                .append(",\"cost_usd\":\"").append(CostNanos.format(event.costNanos())).append('"');
        field(json, "timestamp", Instant.ofEpochMilli(event.timestampMillis()).toString());
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (value == null) {
            return;
        }
        json.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
