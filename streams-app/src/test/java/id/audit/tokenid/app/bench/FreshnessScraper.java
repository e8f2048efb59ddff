package id.audit.tokenid.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes {@code /metrics} at a fixed rate (10 Hz by default) with one token, as one Prometheus
 * target, and keeps, for each answered scrape, when its answer arrived and the
 * {@code llm_requests_total} of every stream of a {@link FreshnessLoad}. A scrape that takes
 * longer than the period delays the next one; none overlap.
 */
final class FreshnessScraper implements AutoCloseable {

    private static final Pattern REQUESTS = Pattern.compile(
            "^llm_requests_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One answered scrape: when it began and ended, and each stream's count. */
    record Scrape(long startNanos, long endNanos, int[] counts) {
    }

    private final ScrapeTimer timer = new ScrapeTimer();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "freshness-scraper");
        thread.setDaemon(true);
        return thread;
    });
    private final int port;
    private final String token;
    private final FreshnessLoad load;
    private final List<Scrape> scrapes = new ArrayList<>();
    private final List<Long> durations = new ArrayList<>();
    private int failures;
    private volatile RuntimeException error;

    private FreshnessScraper(int port, String token, FreshnessLoad load) {
        this.port = port;
        this.token = token;
        this.load = load;
    }

    static FreshnessScraper start(int port, String token, FreshnessLoad load, Duration period) {
        FreshnessScraper scraper = new FreshnessScraper(port, token, load);
        scraper.scheduler.scheduleAtFixedRate(scraper::scrapeOnce, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        return scraper;
    }

    private void scrapeOnce() {
        try {
            long start = System.nanoTime();
            ScrapeTimer.Scrape scrape = timer.get(port, token);
            long end = System.nanoTime();
            synchronized (this) {
                durations.add(end - start);
                if (scrape.status() == 200) {
                    scrapes.add(new Scrape(start, end, counts(scrape.text())));
                } else {
                    failures++;
                }
            }
        } catch (RuntimeException e) {
            // A failed scrape counts, and the run goes on; an unexpected error ends it (close()).
            synchronized (this) {
                failures++;
            }
            if (!(e instanceof IllegalStateException)) {
                error = e;
            }
        }
    }

    private int[] counts(String body) {
        int[] counts = new int[load.streams()];
        Matcher line = REQUESTS.matcher(body);
        while (line.find()) {
            String org = null;
            String model = null;
            Matcher label = LABEL.matcher(line.group(1));
            while (label.find()) {
                if (label.group(1).equals("org_id")) {
                    org = label.group(2);
                } else if (label.group(1).equals("model")) {
                    model = label.group(2);
                }
            }
            int stream = org == null || model == null ? -1 : load.streamOf(org, model);
            if (stream >= 0) {
                counts[stream] = (int) Double.parseDouble(line.group(2));
            }
        }
        return counts;
    }

    /** The count of one stream in the latest answered scrape; 0 before the first. */
    synchronized int latest(int stream) {
        return scrapes.isEmpty() ? 0 : scrapes.get(scrapes.size() - 1).counts()[stream];
    }

    synchronized List<Scrape> scrapes() {
        return List.copyOf(scrapes);
    }

    synchronized long[] durationsNanos() {
        return durations.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    synchronized int failures() {
        return failures;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (error != null) {
            throw error;
        }
    }
}
