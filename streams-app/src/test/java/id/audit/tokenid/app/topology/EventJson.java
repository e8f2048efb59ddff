package id.audit.tokenid.app.topology;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds api_call JSON for tests, field by field; absent fields are left out. */
final class EventJson {
    private final Map<String, String> fields = new LinkedHashMap<>();

    static EventJson apiCall(String org) {
        return new EventJson().raw("org_id", quote(org));
    }

    EventJson eventId(String id) {
        return raw("event_id", quote(id));
    }

    EventJson type(String type) {
        return raw("type", quote(type));
    }

    EventJson provider(String provider) {
        return raw("provider", quote(provider));
    }

    EventJson model(String model) {
        return raw("model", quote(model));
    }

    EventJson tokens(long input, long output) {
        return raw("input_tokens", Long.toString(input)).raw("output_tokens", Long.toString(output));
    }

    /** The parts of the tokens: cached and cache-write input tokens, reasoning (output) tokens. */
    EventJson parts(long cachedInput, long cacheWriteInput, long reasoning) {
        return raw("cached_input_tokens", Long.toString(cachedInput))
                .raw("cache_write_input_tokens", Long.toString(cacheWriteInput))
                .raw("reasoning_tokens", Long.toString(reasoning));
    }

    /** Cost as a JSON number written exactly as given. */
    EventJson cost(String decimal) {
        return raw("cost_usd", decimal);
    }

    EventJson at(Instant time) {
        return raw("timestamp", quote(time.toString()));
    }

    EventJson raw(String name, String jsonValue) {
        fields.put(name, jsonValue);
        return this;
    }

    String json() {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(name)).append(':').append(value);
        });
        return out.append('}').toString();
    }

    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
