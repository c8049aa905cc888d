package io.jobrunner.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts shipped in this jar under {@code lua/}, each with its SHA-1 for EVALSHA. A line
 * {@code -- #include <file>.lua} in a script is replaced by that file (shared definitions, such as the per-job
 * fields in {@code job-fields.lua}); the body sent to Redis is the result.
 */
public enum Script {
    PUSH("push"),
    CLAIM("claim"),
    ACK("ack"),
    RELEASE("release"),
    EXTEND("extend"),
    RECYCLE("recycle"),
    PROMOTE("promote"),
    PRUNE("prune"),
    RETRY_ABANDONED("retry-abandoned"),
    REGISTRY_REMOVE("registry-remove"),
    LEASE_RENEW("lease-renew"),
    LEASE_RELEASE("lease-release"),
    SCHEDULE_FIRE("schedule-fire"),
    INSPECT("inspect"),
    DELETE("delete"),
    RUN_NOW("run-now"),
    CANCEL("cancel"),
    HISTORY_COUNT("history-count"),
    PRESENCE("presence"),
    PRESENCE_LIST("presence-list"),
    LEASE_ACQUIRE("lease-acquire"),
    START("start"),
    DUE_LOWER("due-lower"),
    DUE_READ("due-read"),
    READY_MARK("ready-mark"),
    PERMIT_TAKE("permit-take"),
    PERMIT_EXTEND("permit-extend"),
    RATE_TAKE("rate-take"),
    RATE_RETURN("rate-return");

    private static final String INCLUDE = "-- #include ";

    private final String fileName;
    private final String body;
    private final String sha;

    Script(String name) {
        this.fileName = name + ".lua";
        this.body = load(fileName);
        this.sha = sha1(body);
    }

    public String fileName() {
        return fileName;
    }

    public String body() {
        return body;
    }

    public String sha() {
        return sha;
    }

    private static String load(String fileName) {
        StringBuilder body = new StringBuilder();
        for (String line : read(fileName).split("\n", -1)) {
            if (line.startsWith(INCLUDE)) {
                body.append(read(line.substring(INCLUDE.length()).trim()));
            } else {
                body.append(line).append('\n');
            }
        }
        return body.substring(0, body.length() - 1);
    }

    private static String read(String fileName) {
        try (InputStream in = Script.class.getResourceAsStream("/lua/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException("script lua/" + fileName + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script lua/" + fileName, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
