package id.audit.tokenid.app.topology;

import org.apache.kafka.common.utils.Utils;

/**
 * Which partition of the by-org topic holds an org: what Kafka's default partitioner does with
 * a keyed record, applied to the org key. The parse step uses it to recognise an event that is
 * already in its org's partition; the query side gets the same answer from Kafka Streams'
 * metadata.
 */
public final class OrgPartitioner {

    private OrgPartitioner() {
    }

    public static int partition(byte[] orgKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(orgKey)) % partitions;
    }
}
