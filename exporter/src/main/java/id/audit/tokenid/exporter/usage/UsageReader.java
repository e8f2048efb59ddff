package id.audit.tokenid.exporter.usage;

/**
 * The exporter's only way to reach usage data. Implementations live outside this module
 * (Kafka Streams interactive queries in streams-app); the exporter knows nothing of Kafka.
 */
@FunctionalInterface
public interface UsageReader {

    ReadResult read(UsageQuery query);

    /** A reader that always answers with the given result: for tests and static setups. */
    static UsageReader fixed(ReadResult result) {
        return query -> result;
    }
}
