package io.jobrunner.runner;

import io.jobrunner.client.ControlMessage;
import io.jobrunner.client.PausedSet;
import io.jobrunner.client.QueueName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What operators asked of this runner, applied:
 * <ol>
 *   <li>the paused queues and types: a cache of the paused set, replaced at each presence heartbeat (every
 *       {@code refresh-interval}) and updated at once by a {@code !pause}/{@code !resume} message, so slots stop
 *       claiming from a paused queue within one refresh interval ({@link QueuePicker} skips it);</li>
 *   <li>cancel requests: a {@code !cancel} message or a request found at the heartbeat cancels the run of that job
 *       if this runner holds it ({@link JobRun.Cancel#OPERATOR}); the job is then abandoned, "cancelled by operator".</li>
 * </ol>
 */
final class OperatorControls {

    private final RunningJobs running;
    private volatile Set<String> paused = Set.of();

    OperatorControls(RunningJobs running) {
        this.running = running;
    }

    boolean isPaused(QueueName queue) {
        return PausedSet.isPaused(paused, queue);
    }

    /** The paused set as read from Redis. */
    void paused(Set<String> names) {
        paused = Set.copyOf(names);
    }

    /** A control message heard on the wake-up channel; returns the cancel requests acted on. */
    List<String> apply(ControlMessage message) {
        switch (message.verb()) {
            case ControlMessage.CANCEL -> {
                return cancel(message.subject(), message.id());
            }
            case ControlMessage.PAUSE, ControlMessage.RESUME -> {
                synchronized (this) {
                    Set<String> next = new HashSet<>(paused);
                    if (message.verb().equals(ControlMessage.PAUSE)) {
                        next.add(message.subject());
                    } else {
                        next.remove(message.subject());
                    }
                    paused = Set.copyOf(next);
                }
            }
            default -> {
            }
        }
        return List.of();
    }

    /** Cancel requests found at the heartbeat, each {@code "domain/type id"}; returns those acted on. */
    List<String> cancelRequested(List<String> jobKeys) {
        List<String> acted = new ArrayList<>();
        for (String key : jobKeys) {
            int space = key.indexOf(' ');
            if (space > 0) {
                acted.addAll(cancel(key.substring(0, space), key.substring(space + 1)));
            }
        }
        return acted;
    }

    /** Cancels the run of that job if this runner holds it; returns its request key when it did. */
    private List<String> cancel(String queue, String id) {
        for (JobRun run : running.snapshot()) {
            if (run.claimed().id().equals(id) && run.queue().toString().equals(queue)) {
                run.cancel(JobRun.Cancel.OPERATOR);
                return List.of(ControlMessage.jobKey(run.queue(), id));
            }
        }
        return List.of();
    }
}
