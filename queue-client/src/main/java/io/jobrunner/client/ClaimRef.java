package io.jobrunner.client;

/** Names one claim: the job id and the token its claim got. Only the holder of the token may end it. */
public record ClaimRef(String id, String token) {
}
