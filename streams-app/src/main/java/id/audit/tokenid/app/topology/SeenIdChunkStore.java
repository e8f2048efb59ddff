package id.audit.tokenid.app.topology;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Where {@link SeenEventIds} keeps its chunks: by arrival bucket and chunk number. In the
 * topology that is the window store {@link StoreNames#SEEN_EVENT_IDS} (key: the chunk number,
 * window start: the bucket), so a bucket expires with its segment, on disk and in the changelog.
 */
interface SeenIdChunkStore {

    /** The stored chunk, or null. */
    byte[] get(long bucket, int chunk);

    void put(long bucket, int chunk, byte[] bytes);

    void forEach(ChunkVisitor visitor);

    interface ChunkVisitor {
        void chunk(long bucket, int chunk, byte[] bytes);
    }

    static SeenIdChunkStore over(WindowStore<Bytes, byte[]> store) {
        return new SeenIdChunkStore() {
            @Override
            public byte[] get(long bucket, int chunk) {
                return store.fetch(key(chunk), bucket);
            }

            @Override
            public void put(long bucket, int chunk, byte[] bytes) {
                store.put(key(chunk), bytes, bucket);
            }

            @Override
            public void forEach(ChunkVisitor visitor) {
                try (KeyValueIterator<Windowed<Bytes>, byte[]> all = store.all()) {
                    while (all.hasNext()) {
                        var entry = all.next();
                        visitor.chunk(entry.key.window().start(), ByteBuffer.wrap(entry.key.key().get()).getInt(),
                                entry.value);
                    }
                }
            }

            private static Bytes key(int chunk) {
                return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES).putInt(chunk).array());
            }
        };
    }
}
