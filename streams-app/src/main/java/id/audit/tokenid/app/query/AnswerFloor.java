package id.audit.tokenid.app.query;

import id.audit.tokenid.exporter.usage.ModelUsage;
import id.audit.tokenid.exporter.usage.OrgUsage;
import id.audit.tokenid.exporter.usage.ReadResult;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The least an answer may show for an org: the request count of the highest answer this
 * instance has given for it. An answer with fewer requests is refused ({@link ReadResult.Unavailable},
 * 503), never sent, so a reader that Kafka Streams hands an incomplete store cannot make a
 * counter go down.
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
 * <p>Bounded: at most {@code maxOrgs} orgs are remembered (least recently answered forgotten
 * first); an org forgotten has no floor until it is answered again.
 */
final class AnswerFloor {

    /** About 100 bytes per org: 10 MB at most. */
    static final int DEFAULT_MAX_ORGS = 100_000;

    private final Map<String, Long> floors;

    AnswerFloor(int maxOrgs) {
        if (maxOrgs <= 0) {
            throw new IllegalArgumentException("maxOrgs must be positive");
        }
        this.floors = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxOrgs;
            }
        };
    }

    /**
     * {@code result} as is when every org in it has at least the requests answered before (and
     * then raises the floors), else {@link ReadResult.Unavailable}. With {@code whole} (an
     * answer that must hold every org, as an admin read does), an org answered before and now
     * absent is refused too. {@code readStartNanos} (System.nanoTime() when the read began)
     * only goes into the refusal's reason: a read refused long after it began was overtaken.
     */
    synchronized ReadResult admit(ReadResult result, boolean whole, long readStartNanos) {
        if (!(result instanceof ReadResult.Found found)) {
            return result;
        }
        Set<String> present = new HashSet<>();
        for (OrgUsage org : found.orgs()) {
            present.add(org.orgId());
            Long floor = floors.get(org.orgId());
            long requests = requests(org);
            if (floor != null && requests < floor) {
                return new ReadResult.Unavailable("org " + org.orgId() + " read " + requests
                        + " requests, fewer than the " + floor + " answered before (read began "
                        + (System.nanoTime() - readStartNanos) / 1_000_000 + " ms ago)");
            }
        }
        if (whole) {
            for (String org : floors.keySet()) {
                if (!present.contains(org)) {
                    return new ReadResult.Unavailable("org " + org + " answered before is missing");
                }
            }
        }
        for (OrgUsage org : found.orgs()) {
            floors.merge(org.orgId(), requests(org), Math::max);
        }
        return result;
    }

    /** The org's requests over all its series (saturating: a sum past 2^63 stays at the maximum). */
    static long requests(OrgUsage org) {
        long sum = 0;
        List<ModelUsage> series = org.series();
        for (ModelUsage model : series) {
            long next = sum + model.requests();
            sum = next < sum ? Long.MAX_VALUE : next;
        }
        return sum;
    }
}
