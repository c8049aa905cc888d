package io.jobrunner.runner;

import java.util.List;

/** Wakes idle slots of the groups that can use the news: a queue became ready, a cap freed up, a stop began. */
final class SlotWakeups {

    private volatile List<GroupWork> groups = List.of();

    /** Set once the groups exist (they are built after the parts that wake them). */
    void groups(List<GroupWork> all) {
        this.groups = List.copyOf(all);
    }

    /** Wakes one idle slot in every group that serves {@code type}. */
    void wakeServing(String type) {
        for (GroupWork g : groups) {
            if (g.serves(type)) {
                g.wakeOne();
            }
        }
    }

    /** Wakes one idle slot in every group. */
    void wakeOneEach() {
        groups.forEach(GroupWork::wakeOne);
    }

    void wakeAll() {
        groups.forEach(GroupWork::wakeAll);
    }
}
