package io.jobrunner.client;

import java.util.List;

/**
 * What one claim call returned.
 *
 * @param queue      the queue
 * @param jobs       the claimed jobs, in FIFO order
 * @param remaining  ready jobs left in the queue after the claim (0: the caller may drop it from the registry)
 * @param superseded root jobs dropped because a newer root exists
 * @param expired    jobs dropped because their expiry passed before they could start (kept in the queue's expired record)
 * @param deadline   epoch ms when these claims expire unless extended
 * @param rateWaitMillis 0, or the ms until the queue's rate bucket has its next token, when it stopped this claim
 *                   with jobs left
 */
public record ClaimBatch(QueueName queue, List<ClaimedJob> jobs, long remaining, int superseded, int expired, long deadline,
                         long rateWaitMillis) {
}
