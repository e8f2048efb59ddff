package id.audit.tokenid.app.budgets;

import java.util.Optional;

/** Finds an org's budget; the reads use it to choose the org's month and its budget gauges. */
@FunctionalInterface
public interface BudgetLookup {

    Optional<OrgBudget> budgetOf(String orgId);

    /** No org has a budget: months are UTC months (tests, setups without the topic). */
    static BudgetLookup none() {
        return orgId -> Optional.empty();
    }
}
