package id.audit.tokenid.app.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The dedup of one task: which (org, event id)s were counted, for which event time.
 *
 * <p>Ids are filed under the arrival-time bucket (one dedup window wide) they were first counted
 * in, so a bucket and the one before cover at least one window of arrivals, and a replayed
 * backlog, whose event times are hours apart, dedups like live traffic (see {@link
 * TopologySettings#dedupRetention()}). Within a bucket they are written in chunks ({@link
 * SeenIdChunk}): the ids of one commit interval go to the store together, just before the
 * commit, as one write and one changelog record per 16 KiB, not one per id. Between commits they
 * are only in memory, which loses nothing: a crash aborts the transaction, the input is read
 * again from the committed offsets, and the task starts from what the store holds.
 *
 * <p>Exact: the {@link SeenIdIndex} (on disk, {@link RocksDbSeenIdIndex}) only narrows the search
 * to candidate chunks; a repeat is dropped only when a chunk holds its full key with an event
 * time within the window. The heap holds the chunks being filled (one commit interval's ids) and
 * a chunk counter per bucket, nothing that grows with the window.
 */
final class SeenEventIds {

    /** An (org, event id) key ({@link StoreKeys#eventId}) with its fingerprint, computed once an event. */
    record Id(byte[] key, long fingerprint) {
    }

    /** The index's fingerprint function, replaceable in tests to force collisions. */
    interface Fingerprint {
        long of(byte[] bytes, int offset, int length);
    }

    private final SeenIdChunkStore store;
    private final SeenIdIndex index;
    private final long windowMillis;
    private final Fingerprint fingerprint;
    /** The number the next chunk of a bucket gets, past every stored or filled one: at most 3 buckets. */
    private final NavigableMap<Long, Integer> nextChunk = new TreeMap<>();
    /** The chunks being filled, by bucket: usually one, two when the bucket turns over. */
    private final Map<Long, SeenIdChunk> filling = new HashMap<>();

    SeenEventIds(SeenIdChunkStore store, SeenIdIndex index, long windowMillis, Fingerprint fingerprint) {
        this.store = store;
        this.index = index;
        this.windowMillis = windowMillis;
        this.fingerprint = fingerprint;
    }

    SeenEventIds(SeenIdChunkStore store, SeenIdIndex index, long windowMillis) {
        this(store, index, windowMillis, SeenIdIndex::fingerprint);
    }

    /**
     * Files every id of every stored chunk in the index: after a restart, restore, move or
     * revival the chunks are the truth, and the index must hold all of their ids before the
     * dedup answers (a missing one would be counted twice). It may hold more (see {@link
     * RocksDbSeenIdIndex}): a stale entry costs a chunk read, never a dropped event. Takes about
     * as long as reading the window's chunks and writing its ids to RocksDB (BENCHMARKS.md).
     */
    void load() {
        store.forEach((bucket, chunk, bytes) -> {
            reserve(bucket, chunk);
            SeenIdChunk.forEachKey(bytes, (b, offset, length) ->
                    index.add(bucket, fingerprint.of(b, offset, length), chunk));
        });
    }

    Id id(byte[] key) {
        return new Id(key, fingerprint.of(key, 0, key.length));
    }

    /** Whether this id was counted before, in this arrival bucket or the one before, for an event time within the window. */
    boolean seen(Id id, long eventTime, long arrival) {
        long bucket = bucketOf(arrival);
        // The previous bucket first: the index remembers its last lookup, and add() files the id
        // under the current bucket, so that lookup saves add() a read.
        return seenIn(bucket - windowMillis, id.fingerprint(), id.key(), eventTime)
                || seenIn(bucket, id.fingerprint(), id.key(), eventTime);
    }

    /** Files a counted id under its arrival bucket; stored with the next commit. */
    void add(Id id, long eventTime, long arrival) {
        long bucket = bucketOf(arrival);
        SeenIdChunk chunk = filling.get(bucket);
        if (chunk == null) {
            chunk = new SeenIdChunk(bucket, nextChunk.getOrDefault(bucket, 0));
            reserve(bucket, chunk.number());
            filling.put(bucket, chunk);
            index.dropBefore(bucket - windowMillis);
            nextChunk.headMap(bucket - windowMillis).clear();
        }
        chunk.add(id.key(), eventTime);
        index.add(bucket, id.fingerprint(), chunk.number());
        if (chunk.full()) {
            // Inside the open transaction like any other write; the bucket's next id opens a new chunk.
            store.put(bucket, chunk.number(), chunk.toBytes());
            filling.remove(bucket);
        }
    }

    /** Writes the chunks being filled: called just before the task commits. */
    void writePending() {
        for (SeenIdChunk chunk : filling.values()) {
            if (!chunk.isEmpty()) {
                store.put(chunk.bucket(), chunk.number(), chunk.toBytes());
            }
        }
        filling.clear();
    }

    /**
     * Forgets the chunks being filled (the transaction is thrown away). Their index entries stay
     * and point at chunk numbers that are not stored (or, after a restart numbers them again, at
     * chunks of other ids), so they confirm nothing; they only cost a chunk read.
     */
    void discardPending() {
        filling.clear();
    }

    long indexedIds() {
        return index.size();
    }

    private void reserve(long bucket, int chunk) {
        nextChunk.merge(bucket, chunk + 1, Math::max);
    }

    private boolean seenIn(long bucket, long print, byte[] key, long eventTime) {
        for (int chunk : index.chunksOf(bucket, print)) {
            SeenIdChunk open = filling.get(bucket);
            if (open != null && open.number() == chunk) {
                if (open.holds(key, eventTime, windowMillis)) {
                    return true;
                }
            } else {
                byte[] stored = store.get(bucket, chunk);
                if (stored != null && SeenIdChunk.holds(stored, stored.length, key, eventTime, windowMillis)) {
                    return true;
                }
            }
        }
        return false;
    }

    private long bucketOf(long arrival) {
        return Math.floorDiv(arrival, windowMillis) * windowMillis;
    }
}
