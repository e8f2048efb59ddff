package id.audit.tokenid.app.query;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The least an answer may show for an org: the request count of the highest answer this
 * instance had given for it when the read began. An answer with fewer requests is refused
 * ({@link ReadResult.Unavailable}, 503), never sent, so a reader that Kafka Streams hands an
 * incomplete store cannot make a counter go down.
 *
 * <p>Why it is needed: in Kafka Streams 4.4 an interactive query with {@code requireActive()}
 * checks only that the task is active and that its stream thread is RUNNING, and the thread's
 * tasks include those in the state updater. An active task revived after a
 * {@code TaskCorruptedException} (a commit that fails while the broker is away) is restored
 * from an empty store on a thread that stays RUNNING, and for seconds its partition answers
 * with whatever the restore has reached (a chaos run saw 585 counters go down or vanish).
 *
 * <p>Why the request count is enough: each series' requests, tokens and cost are one stored
 * value, written together; every write adds at least one request; and a restore replays the
 * changelog in order, so what a restoring store holds is an earlier state of the org: fewer
 * requests in all, or the same state. Series never disappear once written.
 *
 * <p>Why "when the read began": two reads in flight at once may straddle a commit, and the one
 * that began first (older state) may finish last. Its request was sent before the newer answer
 * existed, so answering it is no decrease; a floor taken at the end would refuse it (seen
 * several times a run on the loaded test machine). Each org keeps its floor and the one before
 * the last raise, so a read that began before the last raise needs the earlier floor only.
 *
 * <p>Bounded: at most {@code maxOrgs} orgs are remembered (least recently answered forgotten
 * first); an org forgotten has no floor until it is answered again.
 */
final class AnswerFloor {

    /** About 100 bytes per org: 10 MB at most. */
    static final int DEFAULT_MAX_ORGS = 100_000;

    private final String name;
    private final Map<String, Floor> floors;

    /**
     * An org's highest answer: its requests and series (the series only for the refusal's
     * reason), when it was raised to that (System.nanoTime()), the requests before that raise,
     * and when the org was first answered.
     */
    private record Floor(long requests, int series, long raisedNanos, long before, long firstNanos) {

        long needed(long readStartNanos) {
            return readStartNanos - raisedNanos > 0 ? requests : before;
        }
    }

    /** @param name which answers it guards, for the refusal's reason ("owner", "router") */
    AnswerFloor(String name, int maxOrgs) {
        if (maxOrgs <= 0) {
            throw new IllegalArgumentException("maxOrgs must be positive");
        }
        this.name = name;
        this.floors = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Floor> eldest) {
                return size() > maxOrgs;
            }
        };
    }

    /**
     * {@code result} as is when every org in it has at least the requests answered before the
     * read began at {@code readStartNanos} (System.nanoTime()), and then raises the floors; else
     * {@link ReadResult.Unavailable}. With {@code whole} (an answer that must hold every org, as
     * an admin read does), an org answered before the read began and now absent is refused too.
     */
    synchronized ReadResult admit(ReadResult result, boolean whole, long readStartNanos) {
        if (!(result instanceof ReadResult.Found found)) {
            return result;
        }
        Set<String> present = new HashSet<>();
        for (OrgUsage org : found.orgs()) {
            present.add(org.orgId());
            Floor floor = floors.get(org.orgId());
            long requests = requests(org);
            if (floor != null && requests < floor.needed(readStartNanos)) {
                return new ReadResult.Unavailable(name + ": org " + org.orgId() + " read " + requests
                        + " requests in " + org.series().size() + " series, fewer than the " + floor.requests()
                        + " in " + floor.series() + " answered before (read began "
                        + (System.nanoTime() - readStartNanos) / 1_000_000 + " ms ago)");
            }
        }
        if (whole) {
            for (Map.Entry<String, Floor> org : floors.entrySet()) {
                if (!present.contains(org.getKey()) && readStartNanos - org.getValue().firstNanos() > 0) {
                    return new ReadResult.Unavailable(name + ": org " + org.getKey() + " answered before is missing");
                }
            }
        }
        long now = System.nanoTime();
        for (OrgUsage org : found.orgs()) {
            long requests = requests(org);
            Floor floor = floors.get(org.orgId());
            if (floor == null) {
                floors.put(org.orgId(), new Floor(requests, org.series().size(), now, 0, now));
            } else if (requests > floor.requests()) {
                floors.put(org.orgId(), new Floor(requests, org.series().size(), now, floor.requests(),
                        floor.firstNanos()));
            }
        }
        return result;
    }

    /** The org's requests over all its series (saturating: a sum past 2^63 stays at the maximum). */
    static long requests(OrgUsage org) {
        long sum = 0;
        for (ModelUsage model : org.series()) {
            long next = sum + model.requests();
            sum = next < sum ? Long.MAX_VALUE : next;
        }
        return sum;
    }
}
