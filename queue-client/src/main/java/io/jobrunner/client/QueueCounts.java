package io.jobrunner.client;

/** How many jobs of a queue are in each state. */
public record QueueCounts(QueueName queue, long ready, long delayed, long claimed, long abandoned) {

    public long total() {
        return ready + delayed + claimed + abandoned;
    }
}
