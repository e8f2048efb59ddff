package id.audit.tokenid.app.chaos;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a chaos run measured, computed from the oracle and the scraper; printed as is. The
 * exactness figures compare, per series, the final counters with the oracle: requests short of
 * it are events lost, requests over it are events counted twice.
 */
record ChaosReport(ChaosOptions options, long trafficSeconds, long produced, long sendErrors, long valid,
                   long repeats, long bad, long eventsLost, long eventsDoubled, int seriesWithWrongTokensOrCost,
                   int instanceOrgAnswersNotExact, Map<String, Long> badSent, Map<String, Long> deadLetters,
                   long deadLetterRepeats, int decreases, List<String> decreaseSamples, long answers, long non200,
                   long answersOutOfService, long non200OutOfService, long transportErrors, Map<Integer, Long> byStatus, double p50Millis, double p99Millis,
                   List<Faults.Fault> faults) {

    static ChaosReport of(ChaosOptions options, ChaosTraffic traffic, Map<String, Map<String, Double>> finals,
                          int disagreeing, Map<String, Long> dlq, long dlqRepeats, Scraper scraper,
                          List<Faults.Fault> faults, long trafficSeconds) {
        long lost = 0;
        long doubled = 0;
        int wrong = 0;
        for (int i = 0; i < options.orgs(); i++) {
            String org = ChaosTraffic.org(i);
            Map<String, Double> expected = traffic.expectedCounters(org);
            Map<String, Double> actual = finals.getOrDefault(org, Map.of());
            Set<String> series = new TreeSet<>(expected.keySet());
            series.addAll(actual.keySet());
            for (String s : series) {
                double e = expected.getOrDefault(s, 0.0);
                double a = actual.getOrDefault(s, 0.0);
                if (s.startsWith("llm_requests_total")) {
                    lost += (long) Math.max(0, e - a);
                    doubled += (long) Math.max(0, a - e);
                } else if (e != a) {
                    wrong++;
                }
            }
        }
        Map<Integer, Long> byStatus = new TreeMap<>();
        scraper.byStatus.forEach((status, count) -> byStatus.put(status, count.get()));
        long non200 = byStatus.entrySet().stream().filter(e -> e.getKey() != 200).mapToLong(Map.Entry::getValue).sum();
        List<String> decreases = List.copyOf(scraper.decreases);
        return new ChaosReport(options, trafficSeconds, traffic.produced(), traffic.sendErrors(), traffic.valid,
                traffic.repeats, traffic.bad, lost, doubled, wrong, disagreeing, new TreeMap<>(traffic.badByReason),
                dlq, dlqRepeats, decreases.size(), decreases.subList(0, Math.min(5, decreases.size())),
                scraper.answers.get() - scraper.transportErrors.get() - scraper.answersOutOfService.get(), non200,
                scraper.answersOutOfService.get(), scraper.non200OutOfService.get(), scraper.transportErrors.get(), byStatus,
                scraper.latencyPercentileMillis(50), scraper.latencyPercentileMillis(99), faults);
    }

    static double nonOkPercent(Faults.Fault f) {
        return f.answers == 0 ? 0 : 100.0 * f.non200 / f.answers;
    }

    Faults.Fault fault(String prefix) {
        return faults.stream().filter(f -> f.name.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no fault " + prefix));
    }

    boolean deadLettersExact() {
        return badSent.equals(deadLetters) && deadLetterRepeats == 0;
    }

    double longestGapSeconds() {
        return faults.stream().mapToLong(f -> f.longestOrgGapNanos).max().orElse(0) / 1e9;
    }

    /** The targets: 0 lost, 0 doubled, DLQ exact, 0 decreases, every gap at most 10 s. */
    boolean targetsMet() {
        return exact() && longestGapSeconds() <= 10;
    }

    /** The correctness part of the targets (counts, not timings). */
    boolean exact() {
        return sendErrors == 0 && eventsLost == 0 && eventsDoubled == 0 && seriesWithWrongTokensOrCost == 0
                && instanceOrgAnswersNotExact == 0 && deadLettersExact() && decreases == 0;
    }

    void print(PrintStream out) {
        out.println("==== chaos run: " + options);
        out.printf("traffic: %d records in %d s (%d valid, %d repeated ids, %d bad), %d acknowledged, %d send errors%n",
                valid + repeats + bad, trafficSeconds, valid, repeats, bad, produced, sendErrors);
        out.printf("events lost: %d%n", eventsLost);
        out.printf("events counted twice: %d%n", eventsDoubled);
        out.printf("series with wrong tokens or cost: %d%n", seriesWithWrongTokensOrCost);
        out.printf("(instance, org) answers not equal to the oracle at the end: %d of %d%n",
                instanceOrgAnswersNotExact, options.instances() * options.orgs());
        out.printf("dead letters: %s against bad records sent %s, %d repeated: %s%n", deadLetters, badSent,
                deadLetterRepeats, deadLettersExact() ? "exact" : "NOT exact");
        out.printf("counter decreases seen: %d%s%n", decreases, decreaseSamples.isEmpty() ? "" : " e.g. " + decreaseSamples);
        out.printf("answers of instances in service: %d (by status %s), non-200: %d (%.3f%%)%n",
                answers, byStatus, non200, answers == 0 ? 0 : 100.0 * non200 / answers);
        out.printf("answers of instances out of service (stopping, or started and not ready): %d, non-200: %d;"
                + " transport errors (instance down): %d%n", answersOutOfService, non200OutOfService, transportErrors);
        out.printf("scrape latency: p50 %.1f ms, p99 %.1f ms%n", p50Millis, p99Millis);
        out.println("per fault: longest stretch without a 200 for one org (any instance | one instance that stayed up),"
                + " time to recover, answers, non-200:");
        for (Faults.Fault f : faults) {
            String recovered = f.endNanos == Long.MAX_VALUE ? (f.startNanos == 0 ? "-" : "NOT recovered")
                    : String.format("%.1f s", (f.endNanos - f.startNanos) / 1e9);
            out.printf("  %-66s gap %5.1f s (%s) | %5.1f s, recovered %s, in service: %d answers, %d non-200 (%.2f%%);"
                            + " out of service: %d answers, %d non-200%n",
                    f.name, f.longestOrgGapNanos / 1e9, f.longestOrgGapOrg, f.longestInstanceGapNanos / 1e9, recovered,
                    f.answers, f.non200, nonOkPercent(f), f.answersOutOfService, f.non200OutOfService);
        }
        out.printf("longest gap of any fault: %.1f s%n", longestGapSeconds());
        out.println("targets (0 lost, 0 doubled, DLQ exact, 0 decreases, every gap <= 10 s): "
                + (targetsMet() ? "MET" : "NOT met"));
    }
}
