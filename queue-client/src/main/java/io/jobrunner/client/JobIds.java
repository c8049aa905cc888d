package io.jobrunner.client;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Job ids and claim tokens: 128 random bits, base64url without padding (22 characters), never starting with
 * {@code -}: an id is often passed as a bare argument to a program ({@code argv = [..., "{id}"]}), where a leading
 * dash would be read as an option.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private JobIds() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        while (true) {
            RANDOM.nextBytes(bytes);
            String id = ENCODER.encodeToString(bytes);
            if (id.charAt(0) != '-') { // one draw in 64 starts with it: draw again (keeps the ids uniform)
                return id;
            }
        }
    }
}
