package id.audit.tokenid.exporter.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Mints new opaque bearer tokens in the TokenID API's {@code td_live_…} shape. */
public final class Tokens {

    /** Prefix of every live token, as in the rest of the TokenID API. */
    public static final String PREFIX = "td_live_";

    /** Random bytes per token: 256 bits, so tokens cannot be guessed or enumerated. */
    static final int RANDOM_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** A new token: {@code td_live_} and 32 random bytes in base64url without padding. */
    public static String mint() {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return PREFIX + URL_SAFE.encodeToString(random);
    }
}
