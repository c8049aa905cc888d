package io.jobrunner.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * De-duplication keys: SHA-256 of the type and the params in canonical form (keys sorted), leaving out
 * the top-level params the producer lists (a timestamp, a request id). Two jobs with equal keys are
 * duplicates while the first one waits.
 */
public final class DedupKeys {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private DedupKeys() {
    }

    public static String of(String type, ObjectNode params, String... ignoredParams) {
        ObjectNode kept = params.deepCopy();
        kept.remove(Arrays.asList(ignoredParams)); // duplicates are harmless; Set.of would reject them
        try {
            Object canonical = CANONICAL.treeToValue(kept, Object.class); // maps, so keys get sorted
            byte[] text = (type + "\n" + CANONICAL.writeValueAsString(canonical)).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot compute a dedup key for type " + type, e);
        }
    }

}
