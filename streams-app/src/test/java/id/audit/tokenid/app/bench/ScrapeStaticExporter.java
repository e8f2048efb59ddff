package id.audit.tokenid.app.bench;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference point of {@link ScrapeLatencyBenchmark}: client_java's own {@link HTTPServer}
 * over a {@link PrometheusRegistry} of ordinary {@link Counter}s and a {@link Gauge}, loaded
 * once with the families, help texts, label sets and values of a product scrape body, so both
 * servers answer the same series. Nothing changes them afterwards.
 */
final class ScrapeStaticExporter implements AutoCloseable {

    private final HTTPServer server;
    private final int series;

    private ScrapeStaticExporter(HTTPServer server, int series) {
        this.server = server;
        this.series = series;
    }

    /** Registers every family of a text-format 0.0.4 body and serves it on a free port. */
    static ScrapeStaticExporter serving(String body) throws IOException {
        Map<String, Family> families = parse(body);
        PrometheusRegistry registry = new PrometheusRegistry();
        int series = 0;
        for (Family family : families.values()) {
            String[] labelNames = family.samples.get(0).labels.keySet().toArray(String[]::new);
            switch (family.type) {
                case "counter" -> {
                    Counter counter = Counter.builder().name(family.name).help(family.help).labelNames(labelNames)
                            .register(registry);
                    for (Sample sample : family.samples) {
                        counter.labelValues(sample.values(labelNames)).inc(sample.value);
                    }
                }
                case "gauge" -> {
                    Gauge gauge = Gauge.builder().name(family.name).help(family.help).labelNames(labelNames)
                            .register(registry);
                    for (Sample sample : family.samples) {
                        gauge.labelValues(sample.values(labelNames)).set(sample.value);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected metric type " + family.type);
            }
            series += family.samples.size();
        }
        HTTPServer server = HTTPServer.builder().port(0).registry(registry).buildAndStart();
        return new ScrapeStaticExporter(server, series);
    }

    int port() {
        return server.getPort();
    }

    int series() {
        return series;
    }

    @Override
    public void close() {
        server.close();
    }

    private record Sample(Map<String, String> labels, double value) {
        String[] values(String[] names) {
            String[] values = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                values[i] = labels.get(names[i]);
            }
            return values;
        }
    }

    private static final class Family {
        final String name;
        String type;
        String help = "";
        final List<Sample> samples = new ArrayList<>();

        Family(String name) {
            this.name = name;
        }
    }

    /** Families by name, in body order; a minimal reader of what the product writes. */
    private static Map<String, Family> parse(String body) {
        Map<String, Family> families = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                families.computeIfAbsent(parts[0], Family::new).help = unescape(parts[1]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                families.computeIfAbsent(parts[0], Family::new).type = parts[1];
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                int brace = line.indexOf('{');
                int close = line.lastIndexOf('}');
                String name = line.substring(0, brace);
                Family family = families.get(name);
                if (family == null) {
                    throw new IllegalArgumentException("sample before its # TYPE line: " + line);
                }
                family.samples.add(new Sample(labels(line.substring(brace + 1, close)),
                        Double.parseDouble(line.substring(close + 2).trim())));
            }
        }
        return families;
    }

    /** {@code a="x",b="y"} with the text format's escapes ({@code \\}, {@code \"}, {@code \n}). */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            String name = text.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (text.charAt(j) != '"') {
                char c = text.charAt(j);
                if (c == '\\') {
                    char next = text.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(name, value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }

    private static String unescape(String help) {
        return help.replace("\\n", "\n").replace("\\\\", "\\");
    }
}
