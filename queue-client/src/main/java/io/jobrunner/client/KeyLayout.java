package io.jobrunner.client;

/**
 * Every Redis key name, in one place. With the default prefix {@code jr}:
 * <pre>
 *   jr:{domain/type}:ready|delayed|claimed|abandoned|data|meta|dedup|roots|roots-written|expired|unique|prioritized   per queue
 *   jr:{domain/type}:claim:TOKEN   string, a short while: the ids one claim call took (a re-sent call finds them)
 *   jr:queues        set   every queue holding a job in any state
 *   jr:ready         hash  domain/type -> version stamp, for queues with ready jobs
 *   jr:due           zset  domain/type -> earliest claim deadline or release time
 *   jr:wake          pub/sub channel: "domain/type stamp" when a queue becomes ready
 *   jr:chron:lease   string: the chron leader's token
 *   jr:schedules     hash  schedule name -> definition JSON
 *   jr:schedules:paused  hash  schedule name -> paused at (epoch ms)
 *   jr:{domain/type}:fired  hash  schedule name -> last handled tick (beside the schedule's target queue)
 *   jr:{ops}:paused|cancels|runners|chrons   operators' controls and live processes (one hash tag)
 *   jr:history:&lt;type&gt;   hash  per-minute processed/failed counts of one job type
 *   jr:{cap:type:T}:permits, jr:{cap:domain:D}:permits  zset  permit -> expiry, of a cluster-wide concurrency cap
 *   jr:{domain/type}:rate  string  the queue's rate bucket (a limit per type in each domain): TAT, epoch µs
 *   jr:{rate:type:T}:bucket, jr:{rate:domain:D}:bucket  string  a type's or a domain's rate bucket, as above
 * </pre>
 */
public final class KeyLayout {

    private final String prefix;

    public KeyLayout(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException("redis key prefix '" + prefix + "' must be 1 to 64 characters of A-Z a-z 0-9 _ . : -");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public QueueKeys queue(QueueName queue) {
        String base = prefix + ":{" + queue + "}:";
        return new QueueKeys(queue, base + "ready", base + "delayed", base + "claimed", base + "abandoned",
                base + "data", base + "meta", base + "dedup", base + "roots", base + "roots-written",
                base + "expired", base + "unique", base + "prioritized");
    }

    /** The marker of one claim call (same hash tag as its queue): the ids it claimed, kept a short while. */
    public String claimMarker(QueueName queue, String token) {
        return prefix + ":{" + queue + "}:claim:" + token;
    }

    /** The queue whose data hash {@code key} is ({@code prefix:{domain/type}:data}), or null when it is none. */
    public QueueName queueOfDataKey(String key) {
        String head = prefix + ":{";
        String tail = "}:data";
        if (!key.startsWith(head) || !key.endsWith(tail) || key.length() <= head.length() + tail.length()) {
            return null;
        }
        try {
            return QueueName.parse(key.substring(head.length(), key.length() - tail.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Set of every queue that holds any job. */
    public String queues() {
        return prefix + ":queues";
    }

    /** Hash of queues with ready jobs: domain/type to version stamp. */
    public String readyRegistry() {
        return prefix + ":ready";
    }

    /** Zset of queues to the earliest time something in them falls due. */
    public String due() {
        return prefix + ":due";
    }

    /** Pub/sub channel announcing queues that became ready. */
    public String wakeChannel() {
        return prefix + ":wake";
    }

    public String chronLease() {
        return prefix + ":chron:lease";
    }

    /** Hash of recurring schedules: name to definition JSON. */
    public String schedules() {
        return prefix + ":schedules";
    }

    /** Hash of paused schedules: name to when it was paused (epoch ms). */
    public String pausedSchedules() {
        return prefix + ":schedules:paused";
    }

    /**
     * Hash of the last handled tick of each schedule that pushes into this queue: in the queue's hash tag, so
     * the tick's mark and its job are written by one script in one Cluster slot.
     */
    public String scheduleFired(QueueName queue) {
        return prefix + ":{" + queue + "}:fired";
    }

    /** Zset of the permits of a cluster-wide concurrency cap on a job type. */
    public String typePermits(String type) {
        return prefix + ":{cap:type:" + type + "}:permits";
    }

    /** Zset of the permits of a cluster-wide concurrency cap on a domain. */
    public String domainPermits(String domain) {
        return prefix + ":{cap:domain:" + domain + "}:permits";
    }

    /** String: the rate bucket of one queue (a limit per type in each domain), in the queue's hash tag. */
    public String queueRate(QueueName queue) {
        return prefix + ":{" + queue + "}:rate";
    }

    /** String: the rate bucket of a job type over all its domains. */
    public String typeRate(String type) {
        return prefix + ":{rate:type:" + type + "}:bucket";
    }

    /** String: the rate bucket of a domain over all its types. */
    public String domainRate(String domain) {
        return prefix + ":{rate:domain:" + domain + "}:bucket";
    }

    /** A named lock (for example one git repository), held as a {@link Lease}. */
    public String lock(String name) {
        return prefix + ":lock:" + name;
    }

    /** Hash of paused queues: {@code domain/type} or {@code *}{@code /type} to paused at (epoch ms). */
    public String paused() {
        return prefix + ":{ops}:paused";
    }

    /** Hash of operators' cancel requests: {@code "domain/type id"} to requested at (epoch ms). */
    public String cancels() {
        return prefix + ":{ops}:cancels";
    }

    /** Hash of live runners: id to {@code "<expires at> <record JSON>"}. */
    public String runners() {
        return prefix + ":{ops}:runners";
    }

    /** Hash of live chrons, as {@link #runners()}. */
    public String chrons() {
        return prefix + ":{ops}:chrons";
    }

    /** Hash of one job type's per-minute history of processed and failed runs. */
    public String history(String type) {
        return prefix + ":history:" + type;
    }

    /** Set of the job types that have a history. */
    public String historyTypes() {
        return prefix + ":history-types";
    }
}
