package id.audit.tokenid.app.topology;

import id.audit.tokenid.schemas.ApiCallEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * One record of the by-org topic: entries bound for one partition, each a counted event
 * ({@link CountedEventSerde}) or, with dedup off, a partial sum of events ({@link PartialSumSerde}).
 * Events read outside their org's partition are gathered per destination partition
 * ({@link ByOrgBatches}) and cross the topic as a few records per commit instead of one record
 * each, so the produce, the broker append, the fetch and Streams' per-record work are paid per
 * batch.
 *
 * <p>Layout: {@code int partition (or BY_KEY: the record key, an org id, decides), int count,
 * then count times (int length, entry)}. An entry's first byte says what it is (1, 2: an event;
 * 3, 4: a partial sum), so a record written before partial sums still decodes during an upgrade.
 */
final class CountedBatch implements ByOrgBatches.Batch {

    /** The batch's partition is that of its key (one event, keyed by its org), as Kafka's default. */
    static final int BY_KEY = -1;
    /** A batch is sent once it holds this many bytes: well under a broker's default 1 MiB record limit. */
    static final int MAX_BYTES = 128 * 1024;
    private static final int HEADER = 2 * Integer.BYTES;

    private byte[] buffer = new byte[4096];
    private int size = HEADER;
    private int count;

    /** Appends one event, encoded in place. */
    @Override
    public void add(ApiCallEvent event) {
        int length = CountedEventSerde.encodedSize(event);
        ensure(Integer.BYTES + length);
        ByteBuffer.wrap(buffer, size, Integer.BYTES).putInt(length);
        int end = CountedEventSerde.encodeInto(event, buffer, size + Integer.BYTES);
        if (end != size + Integer.BYTES + length) {
            throw new IllegalStateException("encoded " + (end - size - Integer.BYTES) + " bytes, sized " + length);
        }
        size = end;
        count++;
    }

    /** Appends one encoded entry. */
    void add(byte[] encodedEvent) {
        ensure(Integer.BYTES + encodedEvent.length);
        ByteBuffer.wrap(buffer, size, Integer.BYTES).putInt(encodedEvent.length);
        System.arraycopy(encodedEvent, 0, buffer, size + Integer.BYTES, encodedEvent.length);
        size += Integer.BYTES + encodedEvent.length;
        count++;
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public boolean isFull() {
        return size >= MAX_BYTES;
    }

    /** The batch as a record value for {@code partition}; the builder is empty afterwards. */
    @Override
    public byte[] take(int partition) {
        ByteBuffer.wrap(buffer, 0, HEADER).putInt(partition).putInt(count);
        byte[] value = Arrays.copyOf(buffer, size);
        size = HEADER;
        count = 0;
        return value;
    }

    @Override
    public void clear() {
        size = HEADER;
        count = 0;
    }

    /** One event, sent by its org key, without a builder's spare room. */
    static byte[] single(ApiCallEvent event) {
        byte[] encoded = CountedEventSerde.encode(event);
        return ByteBuffer.allocate(HEADER + Integer.BYTES + encoded.length)
                .putInt(BY_KEY).putInt(1).putInt(encoded.length).put(encoded).array();
    }

    static List<ByOrgEntry> decode(byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            in.getInt(); // the partition: only the producer side needs it
            int count = in.getInt();
            if (count < 0 || count > value.length) {
                throw new SerializationException("bad batch size " + count);
            }
            List<ByOrgEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new SerializationException("bad event length " + length);
                }
                int at = in.position();
                // Read in place: a copy of each entry was about 150 bytes allocated per event.
                entries.add(length > 0 && PartialSumSerde.isPartialSum(value[at])
                        ? PartialSumSerde.decode(Arrays.copyOfRange(value, at, at + length))
                        : new ByOrgEntry.Event(CountedEventSerde.decode(value, at, length)));
                in.position(in.position() + length);
            }
            return entries;
        } catch (RuntimeException e) {
            if (e instanceof SerializationException) {
                throw e;
            }
            throw new SerializationException("malformed counted batch", e);
        }
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    /**
     * Sends a batch to the partition it was gathered for, and a single event by its org key.
     * The by-org topic must have the partition count the batches were gathered for: anything
     * else would put an org's events in two tasks, so it stops the stream instead.
     */
    static final class Partitioner implements StreamPartitioner<byte[], byte[]> {
        private final int expectedPartitions;

        Partitioner(int expectedPartitions) {
            this.expectedPartitions = expectedPartitions;
        }

        @Override
        public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
            int partition = ByteBuffer.wrap(value, 0, Integer.BYTES).getInt();
            if (partition == BY_KEY) {
                return Optional.of(Set.of(OrgPartitioner.partition(key, numPartitions)));
            }
            if (numPartitions != expectedPartitions) {
                throw new IllegalStateException(topic + " has " + numPartitions + " partitions, batches were made for "
                        + expectedPartitions + "; restart the instance so it reads the counts again");
            }
            return Optional.of(Set.of(partition));
        }
    }
}
