package id.audit.tokenid.schemas;

/**
 * The {@code timestamp} field's two forms, parsed to epoch milliseconds without java.time's
 * allocations, and exactly as strictly as the schema's pattern: {@code YYYY-MM-DDTHH:MM:SS},
 * optionally {@code .} and 1 to 9 digits, then {@code Z} or {@code +HH:MM} / {@code -HH:MM} up to
 * 18:00; a real calendar date; uppercase T and Z; no leap second.
 */
final class Timestamps {

    /** The largest epoch-millisecond timestamp: 9999-12-31T23:59:59.999Z. */
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;
    /** Returned for text that is not a timestamp (no valid one is this small). */
    static final long INVALID = Long.MIN_VALUE;

    private static final int SHORTEST = "0000-00-00T00:00:00Z".length();
    private static final int LONGEST = "0000-00-00T00:00:00.000000000+00:00".length();

    private Timestamps() {
    }

    /** Epoch milliseconds of an RFC 3339 date-time with offset, or {@link #INVALID}. */
    static long parseIso(CharSequence s) {
        int n = s.length();
        if (n < SHORTEST || n > LONGEST
                || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return INVALID;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int fractionDigits = i - start;
            if (fractionDigits < 1 || fractionDigits > 9) {
                return INVALID;
            }
            for (int d = fractionDigits; d < 3; d++) {
                millis *= 10; // ".5" is 500 ms; digits after the third are truncated
            }
        }
        int offsetSeconds = offsetSeconds(s, i);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return INVALID;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second
                - offsetSeconds;
        return seconds * 1_000L + millis;
    }

    /** Seconds east of UTC of the offset that must end {@code s} at {@code i}, or MIN_VALUE. */
    private static int offsetSeconds(CharSequence s, int i) {
        int n = s.length();
        if (i == n - 1 && s.charAt(i) == 'Z') {
            return 0;
        }
        if (i != n - 6 || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        char sign = s.charAt(i);
        int hours = digits(s, i + 1, 2);
        int minutes = digits(s, i + 4, 2);
        // java.time's ZoneOffset stops at 18:00, so the schema does too.
        if ((sign != '+' && sign != '-') || hours < 0 || minutes < 0 || minutes > 59
                || hours > 18 || (hours == 18 && minutes != 0)) {
            return Integer.MIN_VALUE;
        }
        int total = hours * 3_600 + minutes * 60;
        return sign == '-' ? -total : total;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** The value of {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(CharSequence s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
