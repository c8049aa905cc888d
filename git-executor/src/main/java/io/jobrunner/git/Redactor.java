package io.jobrunner.git;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps credentials out of every message and log line the git executors write.
 * <ol>
 *   <li>strips the user-info part ({@code user:password@} or {@code token@}) of every {@code scheme://} URL;</li>
 *   <li>replaces every configured secret (passwords from config or the environment) with {@code ***},
 *       longest first, wherever it appears (a backstop for messages JGit builds).</li>
 * </ol>
 */
final class Redactor {

    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");

    private final List<String> secrets;

    Redactor(List<String> secrets) {
        List<String> copy = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                copy.add(secret);
            }
        }
        copy.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(copy);
    }

    static Redactor none() {
        return new Redactor(List.of());
    }

    /** {@code https://bot:s3cret@host/r.git} becomes {@code https://host/r.git}. */
    static String stripUserInfo(String text) {
        return text == null ? null : URL_USER_INFO.matcher(text).replaceAll("$1");
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = stripUserInfo(text);
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
