package id.audit.tokenid.exporter.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict request-head parser: what it accepts, and the status of everything it refuses. */
class RequestHeadParserTest {

    @Test
    void parsesAnOriginFormRequestWithHeadersInOrder() {
        Request request = parsed("GET /metrics?a=%20b HTTP/1.1\r\nHost: x\r\nAccept:  text/plain \r\nAccept: */*\r\n\r\n");

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/metrics");
        assertThat(request.rawQuery()).isEqualTo("a=%20b");
        assertThat(request.headers().all("accept")).containsExactly("text/plain", "*/*");
        assertThat(request.keepAlive()).isTrue();
    }

    @Test
    void takesOnlyThePathOfAnAbsoluteFormTarget() {
        Request request = parsed("GET http://other-host:9400/metrics?org=x HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(request.rawPath()).isEqualTo("/metrics");
        assertThat(request.rawQuery()).isEqualTo("org=x");
    }

    @Test
    void keepsAliveByVersionAndConnectionHeader() {
        assertThat(parsed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(parsed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
        assertThat(parsed("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n").keepAlive()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /metrics HTTP/1.1\nHost: x\n\n",              // bare LF
            "GET /metrics HTTP/2.0\r\n\r\n",                   // other version
            "GET /metrics http/1.1\r\n\r\n",
            "GET  /metrics HTTP/1.1\r\n\r\n",                  // two spaces
            "GET /metrics\r\n\r\n",                            // HTTP/0.9 shape
            "G(T /metrics HTTP/1.1\r\n\r\n",                   // method not a token
            "GET metrics HTTP/1.1\r\n\r\n",                    // neither origin nor absolute form
            "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",       // space before colon
            "GET /metrics HTTP/1.1\r\nNo colon\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",  // obs-fold
            "GET /metrics HTTP/1.1\r\nX: a\u0001b\r\n\r\n",     // control character
            "GET /metrics HTTP/1.1\r\nX: a\rb\r\n\r\n",         // bare CR
            "GET /metrics HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "GET /m\u00e9trics HTTP/1.1\r\n\r\n"})             // non-ASCII target
    void refusesMalformedHeadsWith400(String head) {
        assertThat(status(head)).isEqualTo(400);
    }

    @Test
    void refusesBodiesWith413() {
        assertThat(status("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n")).isEqualTo(413);
        assertThat(status("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(413);
        assertThat(parsed("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").method()).isEqualTo("GET");
    }

    @Test
    void refusesALongUriWith414AndLargeHeadersWith431() {
        String longUri = "GET /" + "a".repeat(RequestHeadParser.MAX_URI_LENGTH) + " HTTP/1.1\r\n\r\n";
        String manyHeaders = "GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(RequestHeadParser.MAX_HEADER_COUNT + 1) + "\r\n";
        String bigHeader = "GET / HTTP/1.1\r\nX: " + "y".repeat(RequestHeadParser.MAX_HEADER_BYTES) + "\r\n\r\n";

        assertThat(status(longUri)).isEqualTo(414);
        assertThat(status(manyHeaders)).isEqualTo(431);
        assertThat(status(bigHeader)).isEqualTo(431);
        assertThat(parsed("GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(RequestHeadParser.MAX_HEADER_COUNT) + "\r\n")
                .headers().fields()).hasSize(RequestHeadParser.MAX_HEADER_COUNT);
    }

    @Test
    void findsTheEndOfAHeadOnlyOnceItHasArrived() {
        byte[] partial = bytes("GET / HTTP/1.1\r\nHost: x\r\n");
        byte[] whole = bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next");

        assertThat(RequestHeadParser.headEnd(partial, partial.length)).isEqualTo(-1);
        assertThat(RequestHeadParser.headEnd(whole, whole.length)).isEqualTo(whole.length - "GET /next".length());
    }

    private static Request parsed(String head) {
        byte[] bytes = bytes(head);
        RequestHeadParser.Result result = RequestHeadParser.parse(bytes, RequestHeadParser.headEnd(bytes, bytes.length));
        assertThat(result).isInstanceOf(RequestHeadParser.Parsed.class);
        return ((RequestHeadParser.Parsed) result).request();
    }

    private static int status(String head) {
        byte[] bytes = bytes(head);
        int end = RequestHeadParser.headEnd(bytes, bytes.length);
        assertThat(end).as("head end").isPositive();
        RequestHeadParser.Result result = RequestHeadParser.parse(bytes, end);
        assertThat(result).isInstanceOf(RequestHeadParser.Refused.class);
        return ((RequestHeadParser.Refused) result).status();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
