package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;

/** What the parse step hands on: an event to count, a batch of them for another task, or a bad record's bytes. */
sealed interface ParsedRecord {

    /**
     * @param ownedHere the event was read from the partition that owns its org, so it is counted
     *                  in this task without crossing the by-org repartition topic
     */
    record Counted(ApiCallEvent event, boolean ownedHere) implements ParsedRecord {
    }

    record DeadLetter(byte[] originalValue) implements ParsedRecord {
    }

    /** Events read outside their orgs' partition, gathered for one by-org partition ({@link CountedBatch}). */
    record RemoteBatch(byte[] batch) implements ParsedRecord {
    }
}
