package io.jobrunner.mediawiki;

import java.util.List;

/**
 * What one {@code mw-maintain.lua} call did to a queue and what the queue holds afterwards.
 *
 * @param orphans claims whose job data was gone, dropped
 * @param more    a transition took its whole limit: call again
 */
public record MaintainReply(long recycled, long abandoned, long pruned, long undelayed, long ready, long claimed, long delayed,
                            long abandonedLeft, long orphans, boolean more) {

    static MaintainReply of(List<Long> reply) {
        if (reply == null || reply.size() != 10) {
            throw new IllegalStateException("mw-maintain.lua returned " + reply + ", expected 10 integers");
        }
        return new MaintainReply(reply.get(0), reply.get(1), reply.get(2), reply.get(3), reply.get(4), reply.get(5), reply.get(6),
                reply.get(7), reply.get(8), reply.get(9) == 1);
    }
}
