package id.audit.tokenid.schemas;

import java.util.Locale;

/**
 * The one definition of "blank" and of normalisation for every id and label the service reads:
 * the codec, the tokens file, the token topic, the CLI and the exposition all call these, so an
 * org id spelled in any input lands on the same org, and a value the codec counts is a value the
 * exposition shows.
 *
 * <p>Blank means "no character above U+0020", the JSON Schema's {@code [^\u0000-\u0020]} pattern
 * and exactly what {@link String#trim()} removes. {@link String#isBlank()} and {@link
 * Character#isWhitespace} use another rule (U+3000 and friends are whitespace there) and must not
 * be used for ids.
 */
public final class TextRules {

    private TextRules() {
    }

    /** Whether {@code s} has no character above U+0020 (empty counts as blank). */
    public static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > ' ') {
                return false;
            }
        }
        return true;
    }

    /** Trimmed (characters up to U+0020) and lowercased with {@link Locale#ROOT}. */
    public static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }

    /** {@link #normalise}, or null when {@code s} is null or blank. */
    public static String normaliseOrNull(String s) {
        if (s == null || isBlank(s)) {
            return null;
        }
        return normalise(s);
    }
}
