package io.jobrunner.client;

import java.util.List;

/**
 * @param pushed     ids now stored (ready or delayed)
 * @param duplicates ids dropped: a waiting job had the same dedup key, or the id was already stored
 */
public record PushResult(List<String> pushed, List<String> duplicates) {
}
