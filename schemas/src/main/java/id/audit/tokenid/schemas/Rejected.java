package id.audit.tokenid.schemas;

import java.util.Objects;

/**
 * A record value that breaks the contract. The original bytes go to the dead-letter topic with
 * {@link RejectReason#label()} in a header; nothing is counted.
 *
 * @param reason why, as a stable label for headers and metrics
 * @param detail a short human-readable message for logs, at most {@value #MAX_DETAIL_CHARS}
 *               chars, printable, quoting at most a few dozen chars of the input
 */
public record Rejected(RejectReason reason, String detail) implements DecodeResult {

    /** The longest {@link #detail()} kept. */
    public static final int MAX_DETAIL_CHARS = 200;

    public Rejected {
        Objects.requireNonNull(reason, "reason");
        detail = Texts.printable(detail == null ? reason.label() : detail, MAX_DETAIL_CHARS);
    }
}
