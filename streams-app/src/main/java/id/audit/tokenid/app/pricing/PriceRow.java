package id.audit.tokenid.app.pricing;

import id.audit.tokenid.schemas.TextRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One price of the price table: what a model of a provider costs per million tokens of each
 * kind, from a date on.
 *
 * <p>Prices are exact decimals (never binary floating point), 0 to {@value #MAX_PRICE_TEXT} USD
 * per million tokens with at most {@value #MAX_FRACTION_DIGITS} digits after the point: the
 * dearest list price of any model today is below 1,000 USD per million output tokens, so the
 * bound catches a price typed per token or per thousand tokens by mistake without refusing a real
 * one, and 9 digits are a millionth of a nano-dollar per token.
 *
 * @param provider        normalised as the codec normalises an event's provider (trimmed, lowercase)
 * @param pattern         an exact model name, or a prefix of model names followed by {@code *}
 *                        ({@code claude-sonnet-4-5*}); normalised like an event's model
 * @param validFrom       the row applies to events whose event time is at or after this date's
 *                        start, 00:00 UTC
 * @param input           USD per million input tokens that were neither read from nor written to
 *                        the provider's prompt cache
 * @param cachedInput     USD per million input tokens read from the prompt cache
 * @param cacheWriteInput USD per million input tokens written to the prompt cache
 * @param output          USD per million output tokens, reasoning tokens included
 */
public record PriceRow(String provider, String pattern, LocalDate validFrom, BigDecimal input,
                       BigDecimal cachedInput, BigDecimal cacheWriteInput, BigDecimal output) {

    static final String MAX_PRICE_TEXT = "100000";
    /** The largest price, USD per million tokens. */
    public static final BigDecimal MAX_PRICE = new BigDecimal(MAX_PRICE_TEXT);
    public static final int MAX_FRACTION_DIGITS = 9;
    /** As the schema bounds an event's provider and model; a pattern may add its {@code *}. */
    static final int MAX_PROVIDER_CHARS = 128;
    static final int MAX_PATTERN_CHARS = 257;
    /** Earliest and latest valid_from: event times are epoch milliseconds after 1970. */
    private static final LocalDate FIRST_DATE = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    public PriceRow {
        requireName(provider, "provider", MAX_PROVIDER_CHARS);
        requireName(pattern, "model", MAX_PATTERN_CHARS);
        if (pattern.indexOf('*') >= 0 && pattern.indexOf('*') != pattern.length() - 1) {
            throw new IllegalArgumentException("model pattern may hold one '*', at its end: " + quote(pattern));
        }
        Objects.requireNonNull(validFrom, "valid_from");
        if (validFrom.isBefore(FIRST_DATE) || validFrom.isAfter(LAST_DATE)) {
            throw new IllegalArgumentException("valid_from must be between " + FIRST_DATE + " and " + LAST_DATE);
        }
        input = requirePrice(input, "input");
        cachedInput = requirePrice(cachedInput, "cached_input");
        cacheWriteInput = requirePrice(cacheWriteInput, "cache_write_input");
        output = requirePrice(output, "output");
    }

    /**
     * A row from its text fields, as the prices file and the prices topic spell them: provider and
     * model are normalised, valid_from is {@code YYYY-MM-DD}, prices are plain decimals
     * ({@code 2.5}, {@code 0.075}); an empty or null cached or cache-write price is the input price.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static PriceRow parse(String provider, String pattern, String validFrom, String input,
                                 String cachedInput, String cacheWriteInput, String output) {
        BigDecimal in = parsePrice(input, "input");
        return new PriceRow(normalised(provider, "provider"), normalised(pattern, "model"), parseDate(validFrom),
                in, isEmpty(cachedInput) ? in : parsePrice(cachedInput, "cached_input"),
                isEmpty(cacheWriteInput) ? in : parsePrice(cacheWriteInput, "cache_write_input"),
                parsePrice(output, "output"));
    }

    /** {@code provider|pattern|valid_from}: the identity of a row, and the prices topic's key. */
    public String key() {
        return key(provider, pattern, validFrom);
    }

    static String key(String provider, String pattern, LocalDate validFrom) {
        return provider + '|' + pattern + '|' + validFrom;
    }

    public boolean isPrefix() {
        return pattern.endsWith("*");
    }

    /** The model-name prefix of a prefix row ({@code ""} for {@code *}), the model itself otherwise. */
    public String prefix() {
        return isPrefix() ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    public boolean matches(String model) {
        return isPrefix() ? model.startsWith(prefix()) : model.equals(pattern);
    }

    /** The first event time, epoch milliseconds, this row applies to. */
    public long validFromMillis() {
        return validFrom.toEpochDay() * MILLIS_PER_DAY; // days since 1970-01-01 UTC: no allocation per event
    }

    static BigDecimal parsePrice(String text, String field) {
        if (isEmpty(text)) {
            throw new IllegalArgumentException(field + " price is missing");
        }
        String value = text.trim();
        if (value.length() > 40 || !PLAIN_DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " price must be a plain decimal such as 2.5 or 0.075, was "
                    + quote(value));
        }
        return new BigDecimal(value);
    }

    static LocalDate parseDate(String text) {
        String value = text == null ? "" : text.trim();
        if (!ISO_DATE.matcher(value).matches()) {
            throw new IllegalArgumentException("valid_from must be a date YYYY-MM-DD, was " + quote(value));
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("valid_from is not a date: " + quote(value));
        }
    }

    private static BigDecimal requirePrice(BigDecimal price, String field) {
        Objects.requireNonNull(price, field);
        if (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0) {
            throw new IllegalArgumentException(field + " price must be 0.." + MAX_PRICE_TEXT
                    + " USD per million tokens, was " + price.toPlainString());
        }
        BigDecimal stripped = price.stripTrailingZeros();
        if (stripped.scale() > MAX_FRACTION_DIGITS) {
            throw new IllegalArgumentException(field + " price may have at most " + MAX_FRACTION_DIGITS
                    + " digits after the point, was " + price.toPlainString());
        }
        // One spelling per value (2.50 and 2.5 are one price), never a negative scale (1E+2).
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static void requireName(String name, String field, int maxChars) {
        Objects.requireNonNull(name, field);
        if (name.isEmpty() || TextRules.isBlank(name) || !name.equals(TextRules.normalise(name))) {
            throw new IllegalArgumentException(field + " must be non-blank, trimmed and lower case, was "
                    + quote(name));
        }
        if (name.length() > maxChars) {
            throw new IllegalArgumentException(field + " must be at most " + maxChars + " characters");
        }
        if (name.indexOf('|') >= 0) {
            throw new IllegalArgumentException(field + " must not contain '|' (the key separator): " + quote(name));
        }
    }

    private static String normalised(String raw, String field) {
        String value = TextRules.normaliseOrNull(raw);
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    private static boolean isEmpty(String text) {
        return text == null || text.trim().isEmpty();
    }

    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return '"' + shown + '"';
    }
}
