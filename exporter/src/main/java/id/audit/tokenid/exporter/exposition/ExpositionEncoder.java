package id.audit.tokenid.exporter.exposition;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Renders snapshots in the format the scraper's {@code Accept} header asks for, negotiated by
 * client_java's {@link ExpositionFormats#findWriter} (Prometheus text 0.0.4 by default,
 * OpenMetrics, or protobuf), and gzips the body when {@code Accept-Encoding} allows it, as
 * client_java's {@code PrometheusScrapeHandler} does.
 *
 * <p>The writers are built from fixed default properties rather than from
 * {@code prometheus.properties}, so the customer-facing output cannot be changed by a stray
 * system property (created timestamps, OpenMetrics 2.0).
 */
public final class ExpositionEncoder {

    private final ExpositionFormats formats =
            ExpositionFormats.init(PrometheusProperties.builder().build());

    /** A rendered body and the headers that describe it. */
    public record Encoded(String contentType, Optional<String> contentEncoding, byte[] body) {
    }

    /**
     * @param accept         the request's {@code Accept} header, or null
     * @param acceptEncoding every value of the request's {@code Accept-Encoding} header, or null
     */
    public Encoded encode(MetricSnapshots snapshots, String accept, List<String> acceptEncoding) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
            if (allowsGzip(acceptEncoding)) {
                try (GZIPOutputStream gzip = new GZIPOutputStream(body)) {
                    writer.write(gzip, snapshots, escaping);
                }
                return new Encoded(writer.getContentType(), Optional.of("gzip"), body.toByteArray());
            }
            writer.write(body, snapshots, escaping);
            return new Encoded(writer.getContentType(), Optional.empty(), body.toByteArray());
        } catch (IOException e) {
            // Writing to memory does not fail; if it did, it is a bug, not a client problem.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether any coding listed is {@code gzip} with a non-zero quality
     * (<a href="https://www.rfc-editor.org/rfc/rfc9110#section-12.5.3">RFC 9110 §12.5.3</a>).
     */
    static boolean allowsGzip(List<String> acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String header : acceptEncoding) {
            for (String coding : header.split(",")) {
                String[] parts = coding.split(";");
                if (parts[0].trim().equalsIgnoreCase("gzip") && !zeroQuality(parts)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean zeroQuality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    return true; // an unreadable weight: do not assume the client wants gzip
                }
            }
        }
        return false;
    }
}
