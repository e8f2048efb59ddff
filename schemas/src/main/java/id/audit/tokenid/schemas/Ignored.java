package id.audit.tokenid.schemas;

import java.util.Objects;

/**
 * A well-formed JSON object whose {@code type} is a string other than {@code "api_call"}: another
 * event type sharing the topic. Not an error and not counted; its other fields are not checked.
 *
 * @param type the event's type, cut to at most {@value #MAX_TYPE_CHARS} chars (never inside a
 *             surrogate pair) so a hostile value cannot bloat logs or metric labels
 */
public record Ignored(String type) implements DecodeResult {

    /** The longest {@link #type()} kept, in UTF-16 chars. */
    public static final int MAX_TYPE_CHARS = 64;

    public Ignored {
        Objects.requireNonNull(type, "type");
        type = Texts.truncate(type, MAX_TYPE_CHARS);
    }
}
