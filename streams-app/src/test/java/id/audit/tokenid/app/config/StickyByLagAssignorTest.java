package id.audit.tokenid.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.apache.kafka.streams.processor.assignment.TaskTopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Few moves, and a moved task goes where its state is freshest. */
class StickyByLagAssignorTest {

    private static final ProcessId A = new ProcessId(new UUID(0, 1));
    private static final ProcessId B = new ProcessId(new UUID(0, 2));
    private static final ProcessId C = new ProcessId(new UUID(0, 3));
    private static final long FAR = 5_000;

    @Test
    void givesADepartedInstancesTasksToTheirLiveStandbysNotToStaleState() {
        // given: C has left; A ran 0 and 1 and keeps a live standby of 4, plus state of 5 from long ago;
        // B ran 2 and 3 and keeps a live standby of 5
        Client a = client(A, Set.of(0, 1), Map.of(4, 0L, 5, 800L));
        Client b = client(B, Set.of(2, 3), Map.of(5, 3L, 4, 900L));

        // when
        Map<ProcessId, KafkaStreamsAssignment> result = assign(100, 1, a, b);

        // then: nothing that runs moves; 4 goes to A, 5 to B (not to A's stale copy)
        assertThat(actives(result, A)).containsExactlyInAnyOrder(0, 1, 4);
        assertThat(actives(result, B)).containsExactlyInAnyOrder(2, 3, 5);
    }

    @Test
    void givesAReturningInstanceOnlyTheTasksBeyondTheOthersShareAndPrefersItsFreshState() {
        // given: A and B ran three tasks each; C is back, its state of 2 and 5 is a few records behind
        Client a = client(A, Set.of(0, 1, 2), Map.of(3, FAR, 4, FAR, 5, FAR));
        Client b = client(B, Set.of(3, 4, 5), Map.of(0, FAR, 1, FAR, 2, FAR));
        Client c = client(C, Set.of(), Map.of(0, FAR, 1, FAR, 2, 7L, 3, FAR, 4, FAR, 5, 9L));

        // when
        Map<ProcessId, KafkaStreamsAssignment> result = assign(100, 1, a, b, c);

        // then: two tasks move, each to C
        assertThat(actives(result, A)).containsExactlyInAnyOrder(0, 1);
        assertThat(actives(result, B)).containsExactlyInAnyOrder(3, 4);
        assertThat(actives(result, C)).containsExactlyInAnyOrder(2, 5);
        assertThat(result.values()).allMatch(r -> r.followupRebalanceDeadline().isEmpty());
    }

    @Test
    void keepsATaskWhereItRunsWhileTheInstanceForItWarmsUp() {
        // given: C is new and far behind on everything
        Client a = client(A, Set.of(0, 1, 2), Map.of(3, FAR, 4, FAR, 5, FAR));
        Client b = client(B, Set.of(3, 4, 5), Map.of(0, FAR, 1, FAR, 2, FAR));
        Client c = client(C, Set.of(), Map.of(0, FAR, 1, FAR, 2, FAR, 3, FAR, 4, FAR, 5, FAR));

        // when
        Map<ProcessId, KafkaStreamsAssignment> result = assign(100, 1, a, b, c);

        // then: nothing moves; C warms up copies of the tasks beyond A's and B's share and a rebalance follows
        assertThat(actives(result, A)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(actives(result, B)).containsExactlyInAnyOrder(3, 4, 5);
        assertThat(actives(result, C)).isEmpty();
        assertThat(standbys(result, C)).contains(2, 5);
        assertThat(result.get(C).followupRebalanceDeadline()).isPresent();
    }

    @Test
    void placesOneStandbyPerTaskAwayFromItsActiveOnTheFreshestInstance() {
        Client a = client(A, Set.of(0, 1), Map.of(2, 1L, 3, FAR));
        Client b = client(B, Set.of(2, 3), Map.of(0, FAR, 1, 2L));
        Client c = client(C, Set.of(), Map.of(0, 4L, 1, FAR, 2, FAR, 3, 6L));

        Map<ProcessId, KafkaStreamsAssignment> result = assign(100, 1, a, b, c, 4);

        for (int task = 0; task < 4; task++) {
            int t = task;
            long holders = result.values().stream().filter(r -> r.tasks().containsKey(new TaskId(1, t))).count();
            assertThat(holders).as("copies of task %d", t).isEqualTo(2);
        }
        assertThat(standbys(result, A)).containsExactly(2);
        assertThat(standbys(result, B)).containsExactly(1);
        assertThat(standbys(result, C)).containsExactlyInAnyOrder(0, 3);
    }

    private static Map<ProcessId, KafkaStreamsAssignment> assign(long acceptableLag, int standbys, Client... clients) {
        return assign(acceptableLag, standbys, clients[0], clients.length > 1 ? clients[1] : null,
                clients.length > 2 ? clients[2] : null, 6);
    }

    private static Map<ProcessId, KafkaStreamsAssignment> assign(long acceptableLag, int standbys, Client a, Client b,
                                                                 Client c, int taskCount) {
        Map<ProcessId, KafkaStreamsState> states = new TreeMap<>();
        for (Client client : new Client[] {a, b, c}) {
            if (client != null) {
                states.put(client.processId(), client);
            }
        }
        Map<TaskId, TaskInfo> tasks = IntStream.range(0, taskCount).boxed()
                .collect(Collectors.toMap(p -> new TaskId(1, p), p -> new Task(new TaskId(1, p))));
        AssignmentConfigs configs = new AssignmentConfigs(acceptableLag, 2, standbys, 600_000L, List.of());
        ApplicationState application = new ApplicationState() {
            @Override
            public Map<ProcessId, KafkaStreamsState> kafkaStreamsStates(boolean computeTaskLags) {
                return states;
            }

            @Override
            public AssignmentConfigs assignmentConfigs() {
                return configs;
            }

            @Override
            public Map<TaskId, TaskInfo> allTasks() {
                return tasks;
            }
        };
        TaskAssignor.TaskAssignment assignment = new StickyByLagAssignor().assign(application);
        Map<ProcessId, KafkaStreamsAssignment> byClient = new HashMap<>();
        assignment.assignment().forEach(r -> byClient.put(r.processId(), r));
        return byClient;
    }

    private static Set<Integer> actives(Map<ProcessId, KafkaStreamsAssignment> result, ProcessId client) {
        return of(result, client, AssignedTask.Type.ACTIVE);
    }

    private static Set<Integer> standbys(Map<ProcessId, KafkaStreamsAssignment> result, ProcessId client) {
        return of(result, client, AssignedTask.Type.STANDBY);
    }

    private static Set<Integer> of(Map<ProcessId, KafkaStreamsAssignment> result, ProcessId client,
                                   AssignedTask.Type type) {
        return result.get(client).tasks().values().stream().filter(t -> t.type() == type)
                .map(t -> t.id().partition()).collect(Collectors.toSet());
    }

    /** An instance with two threads, running {@code active}, with these lags for the other tasks. */
    private static Client client(ProcessId id, Set<Integer> active, Map<Integer, Long> lags) {
        return new Client(id, active, lags);
    }

    private record Client(ProcessId processId, Set<Integer> active, Map<Integer, Long> lags) implements KafkaStreamsState {
        @Override
        public int numProcessingThreads() {
            return 2;
        }

        @Override
        public SortedSet<String> consumerClientIds() {
            return new TreeSet<>(Set.of(processId + "-1", processId + "-2"));
        }

        @Override
        public SortedSet<TaskId> previousActiveTasks() {
            return active.stream().map(p -> new TaskId(1, p)).collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public SortedSet<TaskId> previousStandbyTasks() {
            return lags.keySet().stream().map(p -> new TaskId(1, p)).collect(Collectors.toCollection(TreeSet::new));
        }

        @Override
        public long lagFor(TaskId task) {
            if (active.contains(task.partition())) {
                return -2; // Task.LATEST_OFFSET: runs it
            }
            Long lag = lags.get(task.partition());
            if (lag == null) {
                throw new IllegalStateException("no lag for " + task);
            }
            return lag;
        }

        @Override
        public SortedSet<TaskId> prevTasksByLag(String consumerClientId) {
            return new TreeSet<>();
        }

        @Override
        public Map<TaskId, Long> statefulTasksToLagSums() {
            return Map.of();
        }

        @Override
        public Optional<HostInfo> hostInfo() {
            return Optional.empty();
        }

        @Override
        public Map<String, String> clientTags() {
            return Map.of();
        }

        @Override
        public Optional<String> rackId() {
            return Optional.empty();
        }
    }

    private record Task(TaskId id) implements TaskInfo {
        @Override
        public boolean isStateful() {
            return true;
        }

        @Override
        public Set<String> stateStoreNames() {
            return Set.of("usage-totals");
        }

        @Override
        public Set<TaskTopicPartition> topicPartitions() {
            return Set.of();
        }
    }
}
