package id.audit.tokenid.exporter.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a valid token belongs to: one org ({@link Role#ORG}) or an administrator who may read
 * every org ({@link Role#ADMIN}; an admin token may still name an org for display).
 */
public record Principal(Optional<String> orgId, Role role) {
    public Principal {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(role, "role");
        if (role == Role.ORG && orgId.isEmpty()) {
            throw new IllegalArgumentException("an org principal needs an org id");
        }
    }

    public static Principal org(String orgId) {
        return new Principal(Optional.of(orgId), Role.ORG);
    }

    public static Principal admin() {
        return new Principal(Optional.empty(), Role.ADMIN);
    }

    /** Whether this principal may read the given org's data. */
    public boolean mayRead(String org) {
        return role == Role.ADMIN || orgId.get().equals(org);
    }
}
