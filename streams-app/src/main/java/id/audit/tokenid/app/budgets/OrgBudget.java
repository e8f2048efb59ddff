package id.audit.tokenid.app.budgets;

import java.math.BigInteger;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One org's monthly budget as the {@code api-budgets} topic last set it.
 *
 * @param monthlyNanos the budget per calendar month, exact nano-dollars
 * @param zone         the time zone whose calendar months the budget counts; UTC when the
 *                     record names none
 */
public record OrgBudget(BigInteger monthlyNanos, ZoneId zone) {
    public OrgBudget {
        Objects.requireNonNull(monthlyNanos, "monthlyNanos");
        Objects.requireNonNull(zone, "zone");
        if (monthlyNanos.signum() < 0) {
            throw new IllegalArgumentException("a budget must not be negative");
        }
    }

    /** The zone of an org without a budget: months are UTC months. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;
}
