package id.audit.tokenid.schemas;

/**
 * String helpers of the codec and its result types: lengths, well-formedness, quoting. Blankness
 * and normalisation are {@link TextRules}'.
 */
final class Texts {

    private Texts() {
    }

    /**
     * Whether {@code s} has between {@code min} and {@code max} Unicode code points, the unit
     * JSON Schema's minLength/maxLength count in (a lone surrogate counts as one).
     */
    static boolean codePointLengthWithin(String s, int min, int max) {
        int chars = s.length();
        // A code point is one or two chars, so most strings are decided without counting.
        if (chars < min || chars > 2 * max) {
            return false;
        }
        if (chars <= max && chars >= 2 * min) {
            return true;
        }
        int codePoints = s.codePointCount(0, chars);
        return codePoints >= min && codePoints <= max;
    }

    /**
     * Whether {@code s} is not valid UTF-16: a high surrogate not followed by a low one, or a low
     * one not preceded by a high one (JSON's <code>"&#92;ud800"</code> escape decodes to one).
     */
    static boolean hasLoneSurrogate(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isLowSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++; // a valid pair
            }
        }
        return false;
    }

    /** At most {@code max} chars of {@code s}, never ending inside a surrogate pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    /**
     * {@code s} cut to {@code max} chars with control characters replaced by {@code ?}, so input
     * quoted in a message cannot forge log lines.
     */
    static String printable(String s, int max) {
        String cut = truncate(s, max);
        StringBuilder out = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(cut);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? cut : out.toString();
    }

    /** A short quote of input for a message: at most 32 chars, marked when cut. */
    static String quote(String s) {
        return s.length() <= 32 ? '"' + s + '"' : '"' + truncate(s, 32) + "\"...";
    }
}
