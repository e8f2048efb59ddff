package id.audit.tokenid.app.topology;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that holds nothing: it tells its processor when the task is about to commit.
 *
 * <p>Before a task commits (its transaction, its input offsets), Kafka Streams flushes the
 * record cache of every store, and a store whose cache is flushed may still write to other
 * stores and their changelogs inside that transaction. That is the moment {@link
 * AggregateProcessor} writes the totals and buckets it summed in memory since the last commit,
 * each changed key once. Between commits nothing is lost on a crash: the transaction aborts,
 * the input is read again from the committed offsets and the processor starts from empty.
 *
 * <p>The flush call is Kafka Streams' own mechanism for its record caches; this store reaches it
 * through {@link CachedStateStore}, an interface of Kafka Streams' internals (4.4.0 pinned in
 * the parent POM). The topology tests and the restart, restore and crash integration tests
 * fail if a Kafka Streams upgrade stops calling it before the commit.
 */
final class CommitHook implements StateStore, CachedStateStore<Object, Object> {

    private static final Runnable NOTHING = () -> { };

    private final String name;
    private Runnable beforeCommit = NOTHING;
    private Runnable discardUncommitted = NOTHING;
    private boolean open;

    CommitHook(String name) {
        this.name = name;
    }

    /**
     * @param beforeCommit       runs just before the task commits, inside its transaction
     * @param discardUncommitted runs when the task's uncommitted work is thrown away (dirty close)
     */
    void listen(Runnable beforeCommit, Runnable discardUncommitted) {
        this.beforeCommit = beforeCommit;
        this.discardUncommitted = discardUncommitted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> { });
        open = true;
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
    }

    @Override
    public void clearCache() {
        discardUncommitted.run();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> flushListener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void close() {
        discardUncommitted.run();
        beforeCommit = NOTHING;
        discardUncommitted = NOTHING;
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    static StoreBuilder<CommitHook> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitHook> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingEnabled(Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<CommitHook> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitHook build() {
                return new CommitHook(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
