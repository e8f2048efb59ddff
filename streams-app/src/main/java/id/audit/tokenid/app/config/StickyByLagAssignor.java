package id.audit.tokenid.app.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;

/**
 * Which instance runs which task (a Kafka Streams task assignor, the public KIP-924 interface):
 * as few moves as possible, and a moved task goes where its state is freshest. Every move costs
 * the task's orgs a stretch of 503s (rebalance rounds, a restore, and the receiving stream thread
 * answers none of its tasks meanwhile), and a restore from far behind costs more.
 *
 * <ol>
 *   <li>A task stays on the instance that runs it, up to that instance's share (tasks × its
 *       threads ÷ all threads, rounded up).</li>
 *   <li>Every other task goes to the instance with the least changelog lag for it among those
 *       caught up (lag within {@code acceptable.recovery.lag}) and under their share; failing
 *       that, it stays on its running instance beyond the share while the best instance under its
 *       share warms up a copy, and a follow-up rebalance after {@code probing.rebalance.interval.ms}
 *       looks again; failing that (its instance is gone), the least lag wins.</li>
 *   <li>Standby copies ({@code num.standby.replicas} per stateful task) go to the instances with
 *       the least lag for the task, then the least loaded.</li>
 * </ol>
 *
 * Why not Kafka's assignors: the high-availability one (the default) deals tasks round-robin
 * and only then moves the ones given to an instance that is not caught up, so among caught-up
 * instances it re-deals tasks on every join and leave (with this service's small changelogs every
 * instance counts as caught up: 19-20 task moves in a rolling restart of 3 instances); the sticky
 * one keeps tasks in place but picks the instance for a moved task by whether it has any state for
 * it, however old (a task went to an instance 40 s behind instead of to its live standby, and its
 * orgs were unanswered for 14 s).
 */
public final class StickyByLagAssignor implements TaskAssignor {

    @Override
    public TaskAssignment assign(ApplicationState application) {
        Map<ProcessId, KafkaStreamsState> clients = new TreeMap<>(application.kafkaStreamsStates(true));
        List<TaskInfo> tasks = new ArrayList<>(application.allTasks().values());
        tasks.sort(Comparator.comparing(TaskInfo::id));
        long acceptableLag = application.assignmentConfigs().acceptableRecoveryLag();
        Plan plan = new Plan(clients, tasks.size());

        List<TaskInfo> unplaced = new ArrayList<>();
        for (TaskInfo task : tasks) {
            ProcessId owner = plan.previousOwner(task.id());
            if (owner != null && plan.underShare(owner)) {
                plan.active(task.id(), owner);
            } else {
                unplaced.add(task);
            }
        }
        Map<TaskId, ProcessId> warmups = new HashMap<>();
        for (TaskInfo task : unplaced) {
            TaskId id = task.id();
            ProcessId owner = plan.previousOwner(id);
            ProcessId best = plan.best(id, task.isStateful(), acceptableLag, true);
            if (best != null) {
                plan.active(id, best);
            } else if (owner != null) {
                plan.active(id, owner);
                ProcessId warm = plan.best(id, task.isStateful(), Long.MAX_VALUE, true);
                if (warm != null && task.isStateful()) {
                    warmups.put(id, warm);
                }
            } else {
                plan.active(id, plan.best(id, task.isStateful(), Long.MAX_VALUE, false));
            }
        }
        warmups.forEach(plan::standby);
        int replicas = application.assignmentConfigs().numStandbyReplicas();
        for (TaskInfo task : tasks) {
            if (!task.isStateful()) {
                continue;
            }
            int have = warmups.containsKey(task.id()) ? 1 : 0;
            for (int i = have; i < replicas; i++) {
                ProcessId holder = plan.bestForStandby(task.id());
                if (holder == null) {
                    break;
                }
                plan.standby(task.id(), holder);
            }
        }
        Instant followup = warmups.isEmpty() ? null
                : Instant.now().plusMillis(application.assignmentConfigs().probingRebalanceIntervalMs());
        return new TaskAssignment(plan.assignments(followup, new HashSet<>(warmups.values())));
    }

    /** The assignment being built, with each instance's share and load. */
    private static final class Plan {
        private final Map<ProcessId, KafkaStreamsState> clients;
        private final Map<ProcessId, Set<AssignedTask>> tasks = new TreeMap<>();
        private final Map<ProcessId, Integer> actives = new HashMap<>();
        private final Map<ProcessId, Integer> share = new HashMap<>();

        Plan(Map<ProcessId, KafkaStreamsState> clients, int taskCount) {
            this.clients = clients;
            int threads = Math.max(1, clients.values().stream().mapToInt(KafkaStreamsState::numProcessingThreads).sum());
            for (KafkaStreamsState client : clients.values()) {
                tasks.put(client.processId(), new HashSet<>());
                actives.put(client.processId(), 0);
                share.put(client.processId(), (taskCount * client.numProcessingThreads() + threads - 1) / threads);
            }
        }

        ProcessId previousOwner(TaskId task) {
            for (KafkaStreamsState client : clients.values()) {
                if (client.previousActiveTasks().contains(task)) {
                    return client.processId();
                }
            }
            return null;
        }

        boolean underShare(ProcessId client) {
            return actives.get(client) < share.get(client);
        }

        /**
         * The instance with the least lag for the task among those within {@code maxLag} (and
         * under their share, with {@code underShareOnly}), then the least loaded; null if none.
         */
        ProcessId best(TaskId task, boolean stateful, long maxLag, boolean underShareOnly) {
            ProcessId best = null;
            for (ProcessId client : clients.keySet()) {
                long lag = stateful ? lag(client, task) : 0;
                if (lag > maxLag || underShareOnly && !underShare(client)) {
                    continue;
                }
                if (best == null || compare(client, lag, best, stateful ? lag(best, task) : 0) < 0) {
                    best = client;
                }
            }
            return best;
        }

        /** The instance without the task with the least lag for it, then the least loaded; null if none. */
        ProcessId bestForStandby(TaskId task) {
            ProcessId best = null;
            for (ProcessId client : clients.keySet()) {
                if (holds(client, task)) {
                    continue;
                }
                if (best == null || compare(client, lag(client, task), best, lag(best, task)) < 0) {
                    best = client;
                }
            }
            return best;
        }

        private int compare(ProcessId a, long lagA, ProcessId b, long lagB) {
            if (lagA != lagB) {
                return Long.compare(lagA, lagB);
            }
            return Double.compare(load(a), load(b));
        }

        private double load(ProcessId client) {
            return (double) tasks.get(client).size() / Math.max(1, clients.get(client).numProcessingThreads());
        }

        private boolean holds(ProcessId client, TaskId task) {
            return tasks.get(client).stream().anyMatch(assigned -> assigned.id().equals(task));
        }

        /** Kafka's lag for the task: 0 for the instance running it, the whole changelog without state, unknown last. */
        private long lag(ProcessId client, TaskId task) {
            long lag;
            try {
                lag = clients.get(client).lagFor(task);
            } catch (RuntimeException unknown) {
                return Long.MAX_VALUE;
            }
            if (lag == -2) { // Task.LATEST_OFFSET: the instance runs it
                return 0;
            }
            return lag < 0 ? Long.MAX_VALUE : lag;
        }

        void active(TaskId task, ProcessId client) {
            tasks.get(client).add(new AssignedTask(task, AssignedTask.Type.ACTIVE));
            actives.merge(client, 1, Integer::sum);
        }

        void standby(TaskId task, ProcessId client) {
            tasks.get(client).add(new AssignedTask(task, AssignedTask.Type.STANDBY));
        }

        List<KafkaStreamsAssignment> assignments(Instant followup, Set<ProcessId> warming) {
            List<KafkaStreamsAssignment> all = new ArrayList<>();
            tasks.forEach((client, assigned) -> {
                KafkaStreamsAssignment assignment = KafkaStreamsAssignment.of(client, assigned);
                all.add(followup != null && warming.contains(client) ? assignment.withFollowupRebalance(followup)
                        : assignment);
            });
            return all;
        }
    }
}
