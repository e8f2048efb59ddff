package id.audit.tokenid.app.bench;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * A RocksDB config setter that changes nothing: Kafka Streams' own per-store defaults, in place
 * of the product's memory bound, for an A/B of the bound's cost:
 * {@code -Dbench.ab=rocksdb.config.setter=id.audit.tokenid.app.bench.KafkaRocksDbDefaults}.
 */
public final class KafkaRocksDbDefaults implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    }

    @Override
    public void close(String storeName, Options options) {
    }
}
