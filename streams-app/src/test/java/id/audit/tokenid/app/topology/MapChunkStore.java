package id.audit.tokenid.app.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The dedup's window store part for tests, as a map from (bucket, chunk) to the stored bytes. */
final class MapChunkStore implements SeenIdChunkStore {
    final TreeMap<String, byte[]> chunks = new TreeMap<>();
    final List<String> puts = new ArrayList<>();

    @Override
    public byte[] get(long bucket, int chunk) {
        return chunks.get(bucket + "/" + chunk);
    }

    @Override
    public void put(long bucket, int chunk, byte[] bytes) {
        chunks.put(bucket + "/" + chunk, bytes);
        puts.add(bucket + "/" + chunk);
    }

    @Override
    public void forEach(ChunkVisitor visitor) {
        for (Map.Entry<String, byte[]> entry : chunks.entrySet()) {
            String[] parts = entry.getKey().split("/");
            visitor.chunk(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), entry.getValue());
        }
    }
}
