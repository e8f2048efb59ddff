package id.audit.tokenid.app.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of a chaos run; {@link #parse} reads them as flags ({@code --events 100000}). A
 * single argument with spaces is split first, so {@code -Dchaos.args="--events 1000"} works.
 *
 * @param killOwnerOf   when set, every kill hits the instance that owns this org, not a random one
 * @param restartKilled start a killed instance again (after 0-5 s), as a supervisor would
 * @param instanceArgs  extra flags for every instance ({@code --instance-arg --stream-threads=1})
 * @param brokerSigkill the broker fault is a SIGKILL (the default, {@code --broker-stop kill}), or
 *                      a SIGTERM, i.e. a clean shutdown ({@code --broker-stop term})
 */
record ChaosOptions(long events, int rate, int instances, int kills, int brokerKills, int rollingRestarts,
                    long seed, int standbyReplicas, int orgs, int partitions, boolean restartKilled,
                    String killOwnerOf, List<String> instanceArgs, Path workDir, boolean brokerSigkill) {

    static ChaosOptions defaults() {
        return new ChaosOptions(1_000_000, 2_000, 3, 10, 1, 1, 1, 1, 9, 6, true, null, List.of(), null, true);
    }

    ChaosOptions withEvents(long events, int rate) {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restartKilled, killOwnerOf, instanceArgs, workDir, brokerSigkill);
    }

    ChaosOptions withFaults(int kills, int brokerKills, int rollingRestarts) {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restartKilled, killOwnerOf, instanceArgs, workDir, brokerSigkill);
    }

    ChaosOptions withInstances(int instances, int standbyReplicas) {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restartKilled, killOwnerOf, instanceArgs, workDir, brokerSigkill);
    }

    ChaosOptions killingOwnerOf(String org, boolean restart) {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restart, org, instanceArgs, workDir, brokerSigkill);
    }

    ChaosOptions inDir(Path dir) {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restartKilled, killOwnerOf, instanceArgs, dir, brokerSigkill);
    }

    /** The broker fault as a clean shutdown (SIGTERM) and restart instead of a SIGKILL. */
    ChaosOptions withCleanBrokerStop() {
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rollingRestarts, seed, standbyReplicas,
                orgs, partitions, restartKilled, killOwnerOf, instanceArgs, workDir, false);
    }

    static ChaosOptions parse(String[] raw) {
        List<String> args = new ArrayList<>();
        for (String arg : raw) {
            for (String part : arg.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    args.add(part);
                }
            }
        }
        ChaosOptions o = defaults();
        long events = o.events;
        int rate = o.rate;
        int instances = o.instances;
        int kills = o.kills;
        int brokerKills = o.brokerKills;
        int rolling = o.rollingRestarts;
        long seed = o.seed;
        int standby = o.standbyReplicas;
        int orgs = o.orgs;
        int partitions = o.partitions;
        boolean restart = o.restartKilled;
        boolean brokerSigkill = o.brokerSigkill;
        List<String> instanceArgs = new ArrayList<>();
        Path dir = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--no-restart")) {
                restart = false;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--events" -> events = Long.parseLong(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--instances" -> instances = Integer.parseInt(value);
                case "--kills" -> kills = Integer.parseInt(value);
                case "--broker-kills" -> brokerKills = Integer.parseInt(value);
                case "--rolling-restarts" -> rolling = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--standby-replicas" -> standby = Integer.parseInt(value);
                case "--orgs" -> orgs = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--instance-arg" -> instanceArgs.addAll(List.of(value.split("=", 2)));
                case "--work-dir" -> dir = Path.of(value);
                case "--broker-stop" -> brokerSigkill = switch (value) {
                    case "kill" -> true;
                    case "term" -> false;
                    default -> throw new IllegalArgumentException("--broker-stop is kill or term, not " + value);
                };
                default -> throw new IllegalArgumentException("unknown flag " + flag + "; flags: --events --rate"
                        + " --instances --kills --broker-kills --rolling-restarts --seed --standby-replicas --orgs"
                        + " --partitions --instance-arg FLAG=VALUE --work-dir --broker-stop kill|term --no-restart");
            }
        }
        return new ChaosOptions(events, rate, instances, kills, brokerKills, rolling, seed, standby, orgs, partitions,
                restart, null, List.copyOf(instanceArgs), dir, brokerSigkill);
    }

    @Override
    public String toString() {
        return String.format("events=%d rate=%d/s instances=%d standby-replicas=%d kills=%d%s broker-kills=%d%s"
                        + " rolling-restarts=%d orgs=%d partitions=%d seed=%d%s",
                events, rate, instances, standbyReplicas, kills, restartKilled ? " (restarted)" : " (not restarted)",
                brokerKills, brokerSigkill ? " (SIGKILL)" : " (SIGTERM)", rollingRestarts, orgs, partitions, seed,
                instanceArgs.isEmpty() ? "" : " instance-args=" + instanceArgs);
    }
}
