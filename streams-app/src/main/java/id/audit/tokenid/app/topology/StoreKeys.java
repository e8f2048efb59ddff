package id.audit.tokenid.app.topology;

import id.audit.tokenid.exporter.usage.ModelUsage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Byte layouts of the store keys. Every string is length-prefixed, so the key of an org is a
 * prefix of the keys of exactly its own series (never of {@code org + "x"}'s), and a prefix scan
 * of one org costs O(that org's series).
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    /** The repartition key and cost-bucket key: the org id's UTF-8 bytes. */
    public static byte[] org(String orgId) {
        return orgId.getBytes(StandardCharsets.UTF_8);
    }

    /** Prefix of every totals key of one org. */
    public static Bytes seriesPrefix(String orgId) {
        byte[] org = org(orgId);
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + org.length).putInt(org.length).put(org).array());
    }

    /** Key of one (org, provider, model) series in the totals store. */
    public static Bytes series(String orgId, String provider, String model) {
        byte[] org = org(orgId);
        byte[] prov = provider.getBytes(StandardCharsets.UTF_8);
        byte[] mod = model.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(3 * Integer.BYTES + org.length + prov.length + mod.length)
                .putInt(org.length).put(org)
                .putInt(prov.length).put(prov)
                .putInt(mod.length).put(mod)
                .array());
    }

    /**
     * Key of the org's overflow series, which sums the pairs beyond its series limit: its
     * provider and model are upper case, which no normalised (lowercased) name can be.
     */
    public static Bytes overflowSeries(String orgId) {
        return series(orgId, ModelUsage.OVERFLOW, ModelUsage.OVERFLOW);
    }

    /** The (org, provider, model) a totals key names. */
    public static SeriesId parseSeries(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        return new SeriesId(readString(buffer), readString(buffer), readString(buffer));
    }

    /** One seen event id of one org, as the dedup files it ({@link SeenIdChunk}). */
    public static Bytes eventId(String orgId, String eventId) {
        return Bytes.wrap(eventIdBytes(orgId, eventId));
    }

    /** {@link #eventId} as one array, written in place (the dedup builds one per event). */
    static byte[] eventIdBytes(String orgId, String eventId) {
        int orgLength = Utf8Bytes.length(orgId);
        byte[] key = new byte[Integer.BYTES + orgLength + Utf8Bytes.length(eventId)];
        key[0] = (byte) (orgLength >>> 24);
        key[1] = (byte) (orgLength >>> 16);
        key[2] = (byte) (orgLength >>> 8);
        key[3] = (byte) orgLength;
        Utf8Bytes.write(eventId, key, Utf8Bytes.write(orgId, key, Integer.BYTES));
        return key;
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getInt();
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The three parts of a totals key. */
    public record SeriesId(String orgId, String provider, String model) {
    }
}
