package id.audit.tokenid.exporter.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that instances of one deployment share to sign requests to each other's
 * {@code /internal/} endpoints. The secret never crosses the wire: a request carries
 * {@code X-TokenID-Internal: <unix seconds>:<hex HMAC-SHA256(secret, METHOD SP path?query SP seconds)>},
 * accepted within ±30 s of the receiver's clock and compared in constant time. A captured
 * header is good for one path and query and for a minute at most; it never reads anything a
 * customer token could not, since it names one org (or all, for an admin read already
 * authorised by the forwarding instance).
 */
public final class InternalSecret {

    public static final String HEADER = "X-TokenID-Internal";
    /** Shortest secret accepted: 256 bits, the HMAC-SHA256 key size. */
    public static final int MIN_BYTES = 32;
    public static final Duration MAX_SKEW = Duration.ofSeconds(30);

    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    /** What a request's signature header turned out to be. */
    public enum Verdict {
        VALID, MISSING, MALFORMED, STALE, BAD_SIGNATURE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final SecretKeySpec key;

    private InternalSecret(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** @throws IllegalArgumentException when shorter than {@link #MIN_BYTES} */
    public static InternalSecret of(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("the internal secret must be at least " + MIN_BYTES
                    + " bytes, got " + secret.length);
        }
        return new InternalSecret(secret.clone());
    }

    /** A fresh random secret: only this instance knows it, so it can forward to no other. */
    public static InternalSecret random() {
        byte[] secret = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(secret);
        return new InternalSecret(secret);
    }

    /** The header value that signs this request at {@code now}. */
    public String sign(String method, String rawPath, String rawQuery, Instant now) {
        long seconds = now.getEpochSecond();
        return seconds + ":" + HEX.formatHex(mac(method, rawPath, rawQuery, seconds));
    }

    /** @param headerValues every value of {@link #HEADER}; more than one is malformed */
    public Verdict verify(List<String> headerValues, String method, String rawPath, String rawQuery, Instant now) {
        if (headerValues.isEmpty()) {
            return Verdict.MISSING;
        }
        String value = headerValues.get(0);
        int colon = value.indexOf(':');
        if (headerValues.size() > 1 || colon < 1 || colon > 12 || value.length() - colon - 1 != 64
                || !value.substring(0, colon).matches("[0-9]+") || !value.substring(colon + 1).matches("[0-9a-f]+")) {
            return Verdict.MALFORMED;
        }
        long seconds = Long.parseLong(value.substring(0, colon));
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
            return Verdict.STALE;
        }
        byte[] expected = mac(method, rawPath, rawQuery, seconds);
        byte[] given = HEX.parseHex(value.substring(colon + 1));
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    private byte[] mac(String method, String rawPath, String rawQuery, long seconds) {
        String message = method + " " + rawPath + "?" + (rawQuery == null ? "" : rawQuery) + " " + seconds;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "InternalSecret[<redacted>]";
    }
}
