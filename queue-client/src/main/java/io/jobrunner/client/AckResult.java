package io.jobrunner.client;

import java.util.List;

/** @param acked jobs deleted; @param stale ids whose claim was no longer the caller's (nothing was done to them) */
public record AckResult(int acked, List<String> stale) {
}
