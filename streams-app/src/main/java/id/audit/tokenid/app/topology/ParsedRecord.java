package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;

/** What the parse step hands on: an event to count, or the original bytes of a bad record. */
sealed interface ParsedRecord {

    record Counted(ApiCallEvent event) implements ParsedRecord {
    }

    record DeadLetter(byte[] originalValue) implements ParsedRecord {
    }
}
