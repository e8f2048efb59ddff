package id.audit.tokenid.exporter.exposition;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads both exposition formats into one comparable form: family name → help, type and
 * samples (series with its labels sorted and unescaped → value). The protobuf side decodes the
 * delimited {@code MetricFamily} stream with client_java's generated classes; the text side is
 * a small parser of the 0.0.4 format, written here, not the encoder under test.
 */
final class ProtobufExposition {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Family(String help, String type, Map<String, Double> samples) {
    }

    private ProtobufExposition() {
    }

    static Map<String, Family> decode(byte[] body) throws IOException {
        Map<String, Family> families = new TreeMap<>();
        try (InputStream in = new ByteArrayInputStream(body)) {
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                Map<String, Double> samples = new TreeMap<>();
                for (Metrics.Metric metric : family.getMetricList()) {
                    Map<String, String> labels = new TreeMap<>();
                    metric.getLabelList().forEach(label -> labels.put(label.getName(), label.getValue()));
                    double value = switch (family.getType()) {
                        case COUNTER -> metric.getCounter().getValue();
                        case GAUGE -> metric.getGauge().getValue();
                        default -> throw new AssertionError("unexpected type " + family.getType());
                    };
                    Double before = samples.put(series(family.getName(), labels), value);
                    if (before != null) {
                        throw new AssertionError("series twice in " + family.getName() + ": " + labels);
                    }
                }
                if (families.put(family.getName(), new Family(family.getHelp(),
                        family.getType().name().toLowerCase(Locale.ROOT), samples)) != null) {
                    throw new AssertionError("family twice: " + family.getName());
                }
            }
        }
        return families;
    }

    /** The text format's families, parsed line by line. */
    static Map<String, Family> parseText(String text) {
        Map<String, String> help = new TreeMap<>();
        Map<String, String> type = new TreeMap<>();
        Map<String, Map<String, Double>> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                help.put(parts[0], parts[1]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                type.put(parts[0], parts[1]);
            } else if (!line.isEmpty()) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    throw new AssertionError("not a sample line: " + line);
                }
                Map<String, String> labels = new TreeMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    int end = 0;
                    while (label.find() && label.start() == end) {
                        labels.put(label.group(1), unescape(label.group(2)));
                        end = label.end();
                    }
                    if (end != sample.group(2).length()) {
                        throw new AssertionError("bad labels: " + line);
                    }
                }
                samples.computeIfAbsent(sample.group(1), name -> new TreeMap<>())
                        .put(series(sample.group(1), labels), Double.parseDouble(sample.group(3)));
            }
        }
        Map<String, Family> families = new TreeMap<>();
        type.forEach((name, kind) -> families.put(name,
                new Family(help.get(name), kind, samples.getOrDefault(name, Map.of()))));
        return families;
    }

    private static String series(String name, Map<String, String> sortedLabels) {
        return name + sortedLabels;
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
