package id.audit.tokenid.exporter.auth;

/** What a token may read: its own org, or every org. */
public enum Role {
    ORG,
    ADMIN
}
