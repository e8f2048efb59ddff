package id.audit.tokenid.app.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Binary form of the partial sums inside a {@link CountedBatch}. The first byte of every batch
 * entry says what it is: {@link CountedEventSerde}'s versions 1 and 2 are events, and the kinds
 * here are numbered after them, so an entry written before partial sums existed still decodes as
 * the event it was.
 *
 * <p>Layouts: {@link #SERIES_SUM}: {@code byte kind, byte flags (1: has provider and model), int
 * length, UsageTotals bytes (any of its stored formats), org, [provider, model]};
 * {@link #COST_CELL}: {@code byte kind, long startMillis, byte length (8 or 16), WideSum bytes,
 * org}; each string as int length + UTF-8.
 */
final class PartialSumSerde {

    static final byte SERIES_SUM = 3;
    static final byte COST_CELL = 4;
    private static final int HAS_PAIR = 1;

    private PartialSumSerde() {
    }

    static boolean isPartialSum(byte kind) {
        return kind == SERIES_SUM || kind == COST_CELL;
    }

    static byte[] encode(ByOrgEntry.SeriesSum sum) {
        byte[] totals = sum.totals().toBytes();
        byte[] org = utf8(sum.orgId());
        byte[] provider = sum.hasModel() ? utf8(sum.provider()) : null;
        byte[] model = sum.hasModel() ? utf8(sum.model()) : null;
        ByteBuffer out = ByteBuffer.allocate(2 + Integer.BYTES + totals.length + sized(org) + sized(provider)
                        + sized(model))
                .put(SERIES_SUM).put((byte) (sum.hasModel() ? HAS_PAIR : 0))
                .putInt(totals.length).put(totals);
        put(out, org);
        put(out, provider);
        put(out, model);
        return out.array();
    }

    static byte[] encode(ByOrgEntry.CostCell cell) {
        byte[] cost = cell.costNanos().toBytes();
        byte[] org = utf8(cell.orgId());
        ByteBuffer out = ByteBuffer.allocate(1 + Long.BYTES + 1 + cost.length + sized(org))
                .put(COST_CELL).putLong(cell.startMillis()).put((byte) cost.length).put(cost);
        put(out, org);
        return out.array();
    }

    static ByOrgEntry decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte kind = in.get();
            ByOrgEntry entry = switch (kind) {
                case SERIES_SUM -> {
                    boolean hasPair = (in.get() & HAS_PAIR) != 0;
                    UsageTotals totals = UsageTotals.fromBytes(bytes(in, in.getInt()));
                    String org = read(in);
                    yield hasPair ? new ByOrgEntry.SeriesSum(org, read(in), read(in), totals)
                            : new ByOrgEntry.SeriesSum(org, null, null, totals);
                }
                case COST_CELL -> {
                    long start = in.getLong();
                    WideSum cost = WideSum.fromBytes(bytes(in, in.get()));
                    yield new ByOrgEntry.CostCell(read(in), start, cost);
                }
                default -> throw new SerializationException("unknown partial-sum kind " + kind);
            };
            if (in.hasRemaining()) {
                throw new SerializationException(in.remaining() + " bytes after the partial sum");
            }
            return entry;
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("malformed partial sum", e);
        }
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static int sized(byte[] bytes) {
        return bytes == null ? 0 : Integer.BYTES + bytes.length;
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        if (bytes != null) {
            out.putInt(bytes.length).put(bytes);
        }
    }

    private static String read(ByteBuffer in) {
        return new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("bad length " + length);
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
