package io.jobrunner.client;

import java.security.SecureRandom;
import java.util.Base64;

/** Job ids and claim tokens: 128 random bits, base64url without padding (22 characters). */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private JobIds() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
