package io.jobrunner.client;

/**
 * Root-job supersession: once a root job with this signature and a newer timestamp has been pushed,
 * older jobs of the same root are dropped at claim time without running.
 *
 * @param signature names the root (for example "refreshLinks:Main_Page")
 * @param timestamp epoch ms of the root job this job belongs to; a push takes it only from 2000-01-01 to 2099-12-31
 *                  ({@link JobValidator#requireRootTimestamp}: a time in seconds or microseconds would supersede wrongly)
 */
public record RootJob(String signature, long timestamp) {

    public RootJob {
        if (signature == null || signature.isEmpty() || signature.length() > 256) {
            throw new InvalidJobException("root.signature", signature, "a non-empty string of at most 256 characters");
        }
        if (timestamp <= 0) {
            throw new InvalidJobException("root.timestamp", timestamp, "a positive epoch time in milliseconds");
        }
    }
}
