package id.audit.tokenid.exporter.http.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The header fields of one request, in the order received, names as sent. Lookups ignore the
 * case of names (RFC 9110 §5.1); repeated fields stay separate values, so a caller can refuse
 * duplicates (two {@code Authorization} headers) instead of having them merged.
 */
public record RequestHeaders(List<Field> fields) {

    /** One header field; the value is the bytes as ISO-8859-1, without surrounding whitespace. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public RequestHeaders {
        fields = List.copyOf(fields);
    }

    /** Headers given as name, value, name, value… (for tests and small fixed requests). */
    public static RequestHeaders of(String... namesAndValues) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new RequestHeaders(fields);
    }

    /** Every value of the named field, in order; empty when absent. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    /** The first value of the named field, or null when absent. */
    public String first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    public boolean contains(String name) {
        return first(name) != null;
    }
}
