package id.audit.tokenid.app.pricing;

import id.audit.tokenid.schemas.ApiCallEvent;
import id.audit.tokenid.schemas.CostNanos;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable price table, indexed for the parse step, and the pricing rule.
 *
 * <p>Which row prices an event: among the rows of the event's provider whose pattern matches
 * its model and whose valid_from is at or before its event time, the most specific pattern wins
 * (the exact model name, then the longest prefix), then the latest valid_from. So a price change
 * is a new row with a later valid_from, and a replay prices an old event as it was priced live.
 *
 * <p>What it costs: {@code round-half-even((uncached·input + cached·cached_input +
 * cache_write·cache_write_input + output·output) × 1000)} nano-dollars, with prices in USD per
 * million tokens (× 10^9 nanos / 10^6 tokens = × 1000), computed exactly with {@link BigDecimal}
 * and rounded once, at the end. Reasoning tokens are output tokens and cost the output price.
 */
public final class PriceTable {

    private static final BigDecimal NANOS_PER_USD_PER_MILLION = BigDecimal.valueOf(1000);
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(CostNanos.MAX_NANOS);
    private static final Comparator<PriceRow> LATEST_FIRST =
            Comparator.comparing(PriceRow::validFrom).reversed();

    private final Map<String, ProviderRows> byProvider;
    private final int size;

    private PriceTable(Map<String, ProviderRows> byProvider, int size) {
        this.byProvider = byProvider;
        this.size = size;
    }

    public static PriceTable empty() {
        return of(List.of());
    }

    /**
     * The table of these rows; of two rows with the same {@link PriceRow#key() key} the later in
     * iteration order wins, which is how topic rows override file rows.
     */
    public static PriceTable of(Collection<PriceRow> rows) {
        Map<String, PriceRow> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(row.key(), row));
        Map<String, Map<String, List<PriceRow>>> exact = new HashMap<>();
        Map<String, Map<String, List<PriceRow>>> prefixes = new HashMap<>();
        for (PriceRow row : byKey.values()) {
            (row.isPrefix() ? prefixes : exact).computeIfAbsent(row.provider(), p -> new HashMap<>())
                    .computeIfAbsent(row.prefix(), p -> new ArrayList<>()).add(row);
        }
        Map<String, ProviderRows> byProvider = new HashMap<>();
        Set<String> providers = new HashSet<>(exact.keySet());
        providers.addAll(prefixes.keySet());
        for (String provider : providers) {
            Map<String, PriceRow[]> exactRows = new HashMap<>();
            exact.getOrDefault(provider, Map.of()).forEach((model, list) -> exactRows.put(model, latestFirst(list)));
            List<PrefixRows> prefixRows = new ArrayList<>();
            prefixes.getOrDefault(provider, Map.of())
                    .forEach((prefix, list) -> prefixRows.add(new PrefixRows(prefix, latestFirst(list))));
            prefixRows.sort(Comparator.comparingInt((PrefixRows p) -> p.prefix().length()).reversed());
            byProvider.put(provider, new ProviderRows(exactRows, prefixRows.toArray(PrefixRows[]::new)));
        }
        return new PriceTable(byProvider, byKey.size());
    }

    /** The row that prices a model of a provider at an event time (both as the codec normalised them). */
    public Optional<PriceRow> rowFor(String provider, String model, long eventTimeMillis) {
        ProviderRows rows = byProvider.get(provider);
        if (rows == null) {
            return Optional.empty();
        }
        PriceRow exact = validAt(rows.exact().get(model), eventTimeMillis);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (PrefixRows prefix : rows.prefixes()) {
            if (model.startsWith(prefix.prefix())) {
                PriceRow row = validAt(prefix.rows(), eventTimeMillis);
                if (row != null) {
                    return Optional.of(row);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The price of an event that carries no cost, at its (resolved) event time; an event without
     * provider or model has no row.
     */
    public PriceQuote quote(ApiCallEvent event) {
        if (!event.hasModel()) {
            return PriceQuote.NO_ROW;
        }
        Optional<PriceRow> row = rowFor(event.provider(), event.model(), event.timestampMillis());
        if (row.isEmpty()) {
            return PriceQuote.NO_ROW;
        }
        BigInteger nanos = costNanos(row.get(), event);
        return nanos.compareTo(MAX_NANOS) > 0
                ? new PriceQuote.OutOfRange(nanos, row.get())
                : new PriceQuote.Priced(nanos.longValueExact(), row.get());
    }

    /** The exact cost of an event's tokens at a row's prices, rounded half-even to nano-dollars. */
    public static BigInteger costNanos(PriceRow row, ApiCallEvent event) {
        BigDecimal usdTimesMillion = row.input().multiply(BigDecimal.valueOf(event.uncachedInputTokens()))
                .add(row.cachedInput().multiply(BigDecimal.valueOf(event.cachedInputTokens())))
                .add(row.cacheWriteInput().multiply(BigDecimal.valueOf(event.cacheWriteInputTokens())))
                .add(row.output().multiply(BigDecimal.valueOf(event.outputTokens())));
        return usdTimesMillion.multiply(NANOS_PER_USD_PER_MILLION).setScale(0, RoundingMode.HALF_EVEN)
                .toBigIntegerExact();
    }

    /** Rows, after same-key overrides. */
    public int size() {
        return size;
    }

    private static PriceRow validAt(PriceRow[] latestFirst, long eventTimeMillis) {
        if (latestFirst == null) {
            return null;
        }
        for (PriceRow row : latestFirst) {
            if (row.validFromMillis() <= eventTimeMillis) {
                return row;
            }
        }
        return null;
    }

    private static PriceRow[] latestFirst(List<PriceRow> rows) {
        return rows.stream().sorted(LATEST_FIRST).toArray(PriceRow[]::new);
    }

    /** One provider's rows: exact patterns by model name; prefix patterns, longest prefix first. */
    private record ProviderRows(Map<String, PriceRow[]> exact, PrefixRows[] prefixes) {
    }

    /** The rows of one prefix pattern, latest valid_from first. */
    private record PrefixRows(String prefix, PriceRow[] rows) {
    }
}
