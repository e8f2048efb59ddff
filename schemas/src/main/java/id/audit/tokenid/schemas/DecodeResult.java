package id.audit.tokenid.schemas;

/**
 * What one record value decodes to: an event to count, another event type to ignore, or a
 * rejection to dead-letter. Expected outcomes are values, not exceptions, so the stream never
 * stops on bad input.
 */
public sealed interface DecodeResult permits ApiCallEvent, Ignored, Rejected {
}
