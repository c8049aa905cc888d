package io.jobrunner.testing;

import io.jobrunner.client.JobRunnerClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every message on a client's wake-up channel from {@link #subscribe} until {@link #close}. */
public final class WakeUpRecorder implements AutoCloseable {

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> channels = new CopyOnWriteArrayList<>();

    private WakeUpRecorder(StatefulRedisPubSubConnection<String, String> connection) {
        this.connection = connection;
    }

    /** Subscribed when this returns: every wake-up published after it is recorded. */
    public static WakeUpRecorder subscribe(JobRunnerClient client) {
        WakeUpRecorder recorder = new WakeUpRecorder(client.connectPubSub());
        recorder.connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                recorder.channels.add(channel);
                recorder.messages.add(message);
            }
        });
        recorder.connection.sync().subscribe(client.keys().wakeChannel());
        return recorder;
    }

    /** The messages so far, oldest first (a live view). */
    public List<String> messages() {
        return messages;
    }

    /** The channel of each message so far. */
    public List<String> channels() {
        return channels;
    }

    @Override
    public void close() {
        connection.close();
    }
}
