package id.audit.tokenid.exporter.http.server;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted connection, touched by the selector thread only: the bytes of the head being
 * received, what the connection is doing, and the one deadline that applies to it now.
 */
final class Connection {

    /** What the connection is doing; each state but {@code HANDLING} has a deadline. */
    enum State {
        /** Receiving a request head; deadline: head timeout. */
        READING_HEAD,
        /** Keep-alive, between requests; deadline: idle timeout. */
        IDLE,
        /** A worker runs the handler; no deadline here (handlers bound their own waits). */
        HANDLING,
        /** Sending a response; deadline: write timeout. */
        WRITING,
        /** Answered and half-closed, discarding what the client still sends; deadline: linger. */
        DRAINING,
        CLOSED
    }

    final SocketChannel channel;
    final SelectionKey key;
    State state = State.READING_HEAD;
    long deadlineNanos;
    byte[] in = new byte[512];
    int inLength;
    ByteBuffer out;
    boolean closeAfterWrite;

    Connection(SocketChannel channel, SelectionKey key, long deadlineNanos) {
        this.channel = channel;
        this.key = key;
        this.deadlineNanos = deadlineNanos;
    }

    /** Appends received bytes, growing the buffer as needed (the caller bounds the total). */
    void append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (inLength + n > in.length) {
            byte[] bigger = new byte[Math.max(in.length * 2, inLength + n)];
            System.arraycopy(in, 0, bigger, 0, inLength);
            in = bigger;
        }
        bytes.get(in, inLength, n);
        inLength += n;
    }

    /** Drops the first {@code count} bytes: a head that has been parsed. */
    void consume(int count) {
        System.arraycopy(in, count, in, 0, inLength - count);
        inLength -= count;
    }

    /** Whether eviction at the connection cap may close it: anything not running a handler. */
    boolean evictable() {
        return state != State.HANDLING && state != State.CLOSED;
    }

    boolean hasLineEnd() {
        for (int i = 0; i < inLength; i++) {
            if (in[i] == '\n') {
                return true;
            }
        }
        return false;
    }
}
