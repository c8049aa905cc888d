package io.jobrunner.runner;

import io.jobrunner.client.ControlMessage;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.WakeUp;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * The runner's one subscription to the wake-up channel ({@code client.keys().wakeChannel()}): each message
 * {@code "domain/type stamp"} is parsed ({@link WakeUp#parse}) and handed to the runner on the connection's own
 * thread (the handler only updates memory and unparks a slot). Lettuce re-subscribes after a reconnect; each
 * (re)subscription calls {@code onSubscribed}, which re-reads the registry to catch wake-ups missed meanwhile.
 */
final class WakeUpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WakeUpListener.class);

    private final JobRunnerClient client;
    private final Consumer<WakeUp> onWake;
    private final Runnable onSubscribed;
    private final Consumer<ControlMessage> onControl;
    private StatefulRedisPubSubConnection<String, String> connection;

    WakeUpListener(JobRunnerClient client, Consumer<WakeUp> onWake, Runnable onSubscribed) {
        this(client, onWake, onSubscribed, c -> { });
    }

    /** @param onControl called with operators' messages ({@link ControlMessage}) heard on the same channel */
    WakeUpListener(JobRunnerClient client, Consumer<WakeUp> onWake, Runnable onSubscribed, Consumer<ControlMessage> onControl) {
        this.onControl = onControl;
        this.client = client;
        this.onWake = onWake;
        this.onSubscribed = onSubscribed;
    }

    void start() {
        String channel = client.keys().wakeChannel();
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                ControlMessage control = ControlMessage.parse(message);
                if (control != null) {
                    try {
                        onControl.accept(control);
                    } catch (RuntimeException e) {
                        log.warn("control message handler failed for {}: {}", message, e.toString(), e);
                    }
                    return;
                }
                WakeUp wake = WakeUp.parse(message);
                if (wake == null) {
                    log.debug("ignoring wake-up message '{}'", message);
                    return;
                }
                try {
                    onWake.accept(wake);
                } catch (RuntimeException e) {
                    log.warn("wake-up handler failed for {}: {}", message, e.toString(), e);
                }
            }

            @Override
            public void subscribed(String ch, long count) {
                log.debug("subscribed to {}", ch);
                onSubscribed.run();
            }
        });
        connection.sync().subscribe(channel);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
