package id.audit.tokenid.app.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as a setting spells it: a whole number with an optional binary unit,
 * {@code 268435456}, {@code 256MiB}, {@code 1GiB}. Only binary units (KiB, MiB, GiB, TiB; any
 * case), so that "MB" cannot be read as 10^6 by one person and 2^20 by another.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmgt]i)?b?", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /**
     * The number of bytes {@code text} names.
     *
     * @throws IllegalArgumentException when it is not such a size or does not fit a long
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        // "256" and "256B" are bytes; "256Mi" without the B is accepted as MiB.
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size such as 256MiB, 1GiB or 268435456 (bytes)");
        }
        int shift = m.group(2) == null ? 0 : switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 40;
        };
        try {
            long value = Long.parseLong(m.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /** {@code bytes} in the largest binary unit that divides it: 256MiB, 1536KiB, 1000B. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%d%s", value, units[unit]);
    }
}
