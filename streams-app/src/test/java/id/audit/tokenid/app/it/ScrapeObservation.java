package id.audit.tokenid.app.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape as a background scraper saw it, kept for the test thread to judge.
 *
 * @param afterKill whether it was sent after the test killed an instance
 * @param samples   the series of a 200 answer (empty otherwise)
 */
record ScrapeObservation(int status, boolean retryAfter, boolean afterKill, Map<String, Double> samples) {

    ScrapeObservation {
        samples = Map.copyOf(samples);
    }

    /**
     * Every series of every good scrape, counters and gauges alike, against the highest value an
     * earlier good scrape showed: lower is a decrease, and so is missing.
     */
    static List<String> decreases(List<ScrapeObservation> observations) {
        List<String> decreases = new ArrayList<>();
        Map<String, Double> highest = new TreeMap<>();
        int index = 0;
        for (ScrapeObservation seen : observations) {
            index++;
            if (seen.status() != 200) {
                continue;
            }
            for (Map.Entry<String, Double> before : highest.entrySet()) {
                Double now = seen.samples().get(before.getKey());
                if (now == null) {
                    decreases.add("scrape " + index + ": " + before.getKey() + " disappeared (was "
                            + before.getValue() + ")");
                } else if (now < before.getValue()) {
                    decreases.add("scrape " + index + ": " + before.getKey() + ": " + before.getValue() + " -> " + now);
                }
            }
            seen.samples().forEach((series, value) -> highest.merge(series, value, Math::max));
        }
        return decreases;
    }
}
