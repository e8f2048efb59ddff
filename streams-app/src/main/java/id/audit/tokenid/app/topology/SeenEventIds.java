package id.audit.tokenid.app.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * time within the window. The heap holds the chunks being filled (one commit interval's ids), a
 * chunk counter per bucket and, in the topology, the index's fixed-size filters ({@link
 * BloomFilteredSeenIdIndex}, 2 MiB per bucket), nothing that grows with the window.
 *
 * <p>A chunk being filled keeps its ids' fingerprints in the heap ({@link Filling}) and files
 * them in the index all at once, with one write batch, just before the chunk itself is written
 * (when full, or at the commit): one index write per chunk, not one per id. Lookups look in the
 * filling chunk directly, so the index need not know it. The index is written first: if the
 * chunk write then fails, the index holds entries of a chunk that is not stored, which costs a
 * chunk read; the other order could leave a stored chunk unindexed, a silent double count.
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
    /**
     * The chunks being filled: usually one, two when the bucket turns over. A list searched by
     * bucket, not a map keyed by a boxed {@code Long}: it is looked up twice per event.
     */
    private final List<Filling> filling = new ArrayList<>(2);

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
        Prints prints = new Prints();
        store.forEach((bucket, chunk, bytes) -> {
            reserve(bucket, chunk);
            prints.clear();
            SeenIdChunk.forEachKey(bytes, (b, offset, length) -> prints.add(fingerprint.of(b, offset, length)));
            index.addAll(bucket, prints.all(), prints.size(), chunk);
        });
    }

    Id id(byte[] key) {
        return new Id(key, fingerprint.of(key, 0, key.length));
    }

    /** Whether this id was counted before, in this arrival bucket or the one before, for an event time within the window. */
    boolean seen(Id id, long eventTime, long arrival) {
        long bucket = bucketOf(arrival);
        return seenIn(bucket - windowMillis, id.fingerprint(), id.key(), eventTime)
                || seenIn(bucket, id.fingerprint(), id.key(), eventTime);
    }

    /** Files a counted id under its arrival bucket; stored with the next commit. */
    void add(Id id, long eventTime, long arrival) {
        long bucket = bucketOf(arrival);
        Filling open = filling(bucket);
        if (open == null) {
            open = new Filling(new SeenIdChunk(bucket, nextChunk.getOrDefault(bucket, 0)));
            reserve(bucket, open.chunk.number());
            filling.add(open);
            index.dropBefore(bucket - windowMillis);
            nextChunk.headMap(bucket - windowMillis).clear();
        }
        open.chunk.add(id.key(), eventTime);
        open.prints.add(id.fingerprint());
        if (open.chunk.full()) {
            // Inside the open transaction like any other write; the bucket's next id opens a new chunk.
            write(open);
            filling.remove(open);
        }
    }

    /** Writes the chunks being filled: called just before the task commits. */
    void writePending() {
        for (Filling open : filling) {
            if (!open.chunk.isEmpty()) {
                write(open);
            }
        }
        filling.clear();
    }

    /**
     * Forgets the chunks being filled (the transaction is thrown away), with their fingerprints,
     * which were never filed. Chunks written (full) in that transaction were filed: those entries
     * stay and point at chunk numbers that are not stored (or, after a restart numbers them
     * again, at chunks of other ids), so they confirm nothing; they only cost a chunk read.
     */
    void discardPending() {
        filling.clear();
    }

    /** (Fingerprint, chunk) pairs in the index, and in the chunks being filled, whose are filed when written. */
    long indexedIds() {
        long pairs = index.size();
        for (Filling open : filling) {
            pairs += open.prints.size();
        }
        return pairs;
    }

    private void reserve(long bucket, int chunk) {
        nextChunk.merge(bucket, chunk + 1, Math::max);
    }

    /** Files the chunk's fingerprints, then writes the chunk (the order the class comment explains). */
    private void write(Filling open) {
        SeenIdChunk chunk = open.chunk;
        index.addAll(chunk.bucket(), open.prints.all(), open.prints.size(), chunk.number());
        store.put(chunk.bucket(), chunk.number(), chunk.toBytes());
    }

    private Filling filling(long bucket) {
        for (int i = 0; i < filling.size(); i++) {
            Filling open = filling.get(i);
            if (open.chunk.bucket() == bucket) {
                return open;
            }
        }
        return null;
    }

    private boolean seenIn(long bucket, long print, byte[] key, long eventTime) {
        Filling open = filling(bucket);
        if (open != null && open.prints.contains(print) && open.chunk.holds(key, eventTime, windowMillis)) {
            return true;
        }
        // The index knows no filling chunk (its fingerprints are filed when it is written), and
        // a number it returns that is not stored (an aborted transaction's) reads as null.
        for (int chunk : index.chunksOf(bucket, print)) {
            byte[] stored = store.get(bucket, chunk);
            if (stored != null && SeenIdChunk.holds(stored, stored.length, key, eventTime, windowMillis)) {
                return true;
            }
        }
        return false;
    }

    private long bucketOf(long arrival) {
        return Math.floorDiv(arrival, windowMillis) * windowMillis;
    }

    /** A chunk being filled and the distinct fingerprints of its ids, not yet in the index. */
    private static final class Filling {
        final SeenIdChunk chunk;
        final Prints prints = new Prints();

        Filling(SeenIdChunk chunk) {
            this.chunk = chunk;
        }
    }

    /**
     * Distinct fingerprints, in a list and an open-addressing set: as many as a chunk has ids
     * (about 270 of 50 bytes, at most {@value SeenIdChunk#MAX_BYTES} / 11), so it is bounded by
     * the chunk size.
     */
    private static final class Prints {
        private long[] list = new long[64];
        private int size;
        /** Slots of the set; 0 marks an empty slot, so the fingerprint 0 is kept in {@link #hasZero}. */
        private long[] slots = new long[128];
        private boolean hasZero;

        void add(long print) {
            if (!insert(print)) {
                return;
            }
            if (size == list.length) {
                list = Arrays.copyOf(list, size * 2);
            }
            list[size++] = print;
            if (size * 2 > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                for (long each : old) {
                    if (each != 0) {
                        insert(each);
                    }
                }
            }
        }

        boolean contains(long print) {
            if (print == 0) {
                return hasZero;
            }
            int mask = slots.length - 1;
            for (int at = slot(print, mask); ; at = (at + 1) & mask) {
                if (slots[at] == print) {
                    return true;
                }
                if (slots[at] == 0) {
                    return false;
                }
            }
        }

        long[] all() {
            return list;
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
            hasZero = false;
            Arrays.fill(slots, 0L);
        }

        /** Whether the print was new. */
        private boolean insert(long print) {
            if (print == 0) {
                boolean added = !hasZero;
                hasZero = true;
                return added;
            }
            int mask = slots.length - 1;
            for (int at = slot(print, mask); ; at = (at + 1) & mask) {
                if (slots[at] == print) {
                    return false;
                }
                if (slots[at] == 0) {
                    slots[at] = print;
                    return true;
                }
            }
        }

        private static int slot(long print, int mask) {
            // Fingerprints are already mixed (SeenIdIndex#fingerprint); tests may force them equal.
            return (int) (print ^ (print >>> 32)) & mask;
        }
    }
}
