package id.audit.tokenid.app.query;

import id.audit.tokenid.exporter.usage.UsageQuery;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Which states of the streams the readers answer in: RUNNING, and for a one-org read
 * REBALANCING too. During a
 * cooperative rebalance an active task that keeps its partitions keeps running and stays
 * queryable. A one-org read asks for its partition with interactive queries v2 and
 * {@code requireActive()}: answered only by an active task whose stream thread is RUNNING, else
 * NOT_ACTIVE or NOT_PRESENT (restoring, migrating, closed), which the readers turn into 503.
 * An admin read uses {@code KafkaStreams.store(...)} (without {@code enableStaleStores}), which
 * refuses as soon as any stream thread of the instance is not RUNNING. What is read is
 * committed state (READ_COMMITTED), which no crash can take back, so answering while the group
 * rebalances cannot show a smaller number than before. Standby tasks are never read: their copy
 * may lag the last answer of the active task. A read of every org (admin) still needs RUNNING:
 * while tasks move, an org in flight is on no instance, and the merged answer would lack it.
 */
final class QueryableStates {

    private QueryableStates() {
    }

    static boolean answers(KafkaStreams.State state, UsageQuery query) {
        return query.orgId().isPresent() ? answersOneOrg(state) : state == KafkaStreams.State.RUNNING;
    }

    static boolean answersOneOrg(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    }
}
