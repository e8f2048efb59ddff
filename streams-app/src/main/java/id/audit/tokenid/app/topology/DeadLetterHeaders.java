package id.audit.tokenid.app.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Headers a dead letter carries besides the original record's own: why it was rejected and
 * where it came from, so that it can be inspected and replayed.
 */
public final class DeadLetterHeaders {
    public static final String REASON = "tokenid.dlq.reason";
    public static final String DETAIL = "tokenid.dlq.detail";
    public static final String SOURCE_TOPIC = "tokenid.dlq.source.topic";
    public static final String SOURCE_PARTITION = "tokenid.dlq.source.partition";
    public static final String SOURCE_OFFSET = "tokenid.dlq.source.offset";

    private DeadLetterHeaders() {
    }

    static void add(Headers headers, String reason, String detail, RecordMetadata source) {
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(detail));
        if (source != null) {
            headers.add(SOURCE_TOPIC, utf8(source.topic()));
            headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
            headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        }
    }

    /** The last value of a header as text, or null when absent. */
    public static String get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
