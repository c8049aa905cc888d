package io.jobrunner.runner;

import io.jobrunner.client.QueueName;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One claim at a time per wake-up hint. A hint announces a push, usually of one job, so slots that come looking
 * while a claim for it is on its way skip the queue instead of claiming it empty; a claim that finds more jobs
 * left opens the gate for that hint (a backlog: claims then run side by side) and wakes another slot as usual.
 * Registry stamps pass always: they come from refreshes, which find backlogs, not single pushes.
 */
final class HintClaimGate {

    /** A claim of this runner under {@code hint} is on its way, or ({@code backlog}) found more jobs waiting. */
    private record Claiming(Stamp hint, boolean backlog) {
    }

    private final ConcurrentHashMap<QueueName, Claiming> claiming = new ConcurrentHashMap<>();

    /**
     * A slot is about to claim from the queue under {@code stamp}: false when that stamp is a hint and another
     * claim under it is on its way (the slot should pick something else), unless the hint has a backlog. Every
     * true is followed by one {@link #end}.
     */
    boolean start(QueueName queue, Stamp stamp) {
        if (stamp == null || !stamp.hint()) {
            return true;
        }
        boolean[] started = new boolean[1];
        claiming.compute(queue, (q, current) -> {
            if (current != null && current.hint().equals(stamp)) {
                started[0] = current.backlog();
                return current;
            }
            started[0] = true;
            return new Claiming(stamp, false);
        });
        return started[0];
    }

    /** The claim started under {@code stamp} has its answer: {@code remaining} jobs were left ready. */
    void end(QueueName queue, Stamp stamp, long remaining) {
        if (stamp == null || !stamp.hint()) {
            return;
        }
        Claiming onItsWay = new Claiming(stamp, false);
        if (remaining > 0) {
            claiming.replace(queue, onItsWay, new Claiming(stamp, true));
        } else {
            claiming.remove(queue, onItsWay);
        }
    }

    /** The cache dropped the queue known under {@code stamp}: a backlog under it is over. */
    void left(QueueName queue, Stamp stamp) {
        claiming.remove(queue, new Claiming(stamp, true));
    }
}
