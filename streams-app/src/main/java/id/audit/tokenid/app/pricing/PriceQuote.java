package id.audit.tokenid.app.pricing;

import java.math.BigInteger;

/** What the price table says an event without a cost costs. */
public sealed interface PriceQuote {

    /** No row matches the event's provider and model at its event time. */
    PriceQuote NO_ROW = new NoRow();

    /** @param nanos the cost in nano-dollars, 0..{@link id.audit.tokenid.schemas.CostNanos#MAX_NANOS} */
    record Priced(long nanos, PriceRow row) implements PriceQuote {
    }

    record NoRow() implements PriceQuote {
    }

    /** The row's cost is above what one event may cost; the event is dead-lettered. */
    record OutOfRange(BigInteger nanos, PriceRow row) implements PriceQuote {
    }
}
