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

    /** Longest org id, in code points of the id as written (before trimming), as the schema says. */
    public static final int MAX_ORG_ID_CODE_POINTS = 128;

    private TextRules() {
    }

    /**
     * The org id that {@code raw} names, normalised, or null when {@code raw} is not a valid org
     * id: null, not valid UTF-16 (a lone surrogate), outside 1..{@value #MAX_ORG_ID_CODE_POINTS}
     * code points as written, or blank. This is the codec's rule for {@code org_id}; the tokens
     * file, the token topic and the CLI call it too, so one org id spelled in any input lands on
     * the same org, or is refused by all of them.
     */
    public static String orgIdOrNull(String raw) {
        if (raw == null || Texts.hasLoneSurrogate(raw)
                || !Texts.codePointLengthWithin(raw, 1, MAX_ORG_ID_CODE_POINTS) || isBlank(raw)) {
            return null;
        }
        return normalise(raw);
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
