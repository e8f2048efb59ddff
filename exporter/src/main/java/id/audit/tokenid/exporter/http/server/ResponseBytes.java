package id.audit.tokenid.exporter.http.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serialises a {@link Response} as HTTP/1.1: status line, the handler's headers, then
 * {@code Content-Length} and {@code Connection} set by the server alone (so a handler cannot
 * make them disagree with what is written), then the body unless the request was HEAD.
 */
final class ResponseBytes {

    private ResponseBytes() {
    }

    /**
     * @param head      whether the request was HEAD: same headers, including the length the
     *                  body would have, and no body
     * @param keepAlive whether the connection stays open after this response
     * @param http10    whether the request was HTTP/1.0, where keep-alive must be announced
     */
    static byte[] of(Response response, boolean head, boolean keepAlive, boolean http10) {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status())).append("\r\n");
        for (Map.Entry<String, String> header : response.orderedHeaders().entrySet()) {
            String name = header.getKey();
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")) {
                text.append(name).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        text.append("Content-Length: ").append(response.body().length).append("\r\n");
        if (!keepAlive) {
            text.append("Connection: close\r\n");
        } else if (http10) {
            text.append("Connection: keep-alive\r\n");
        }
        text.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + (head ? 0 : response.body().length));
        bytes.writeBytes(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            bytes.writeBytes(response.body());
        }
        return bytes.toByteArray();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
