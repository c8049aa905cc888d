package io.jobrunner.bench.runner;

import io.jobrunner.client.ClaimBatch;
import io.jobrunner.client.ClaimedJob;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.JobConsumer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.QueueName;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A baseline, not the product: the simplest runner queue-client allows, to compare the real runner with and
 * to exercise the harness before it existed. Each slot thread loops: pick a random queue from the ready
 * registry (read at most every 100 ms, and again after a wake-up or an empty claim), claim one job, run the
 * handler, ack. An empty claim removes the queue from the registry if its stamp is unchanged. Idle slots
 * wait for a wake-up on the pub/sub channel (50 ms at most). No time share, no heartbeat, no retries.
 */
public final class ClientLoopRunner implements RunnerUnderTest {

    private static final Duration CLAIM_TTL = Duration.ofSeconds(60);
    private static final long REFRESH_NANOS = 100_000_000L;

    private final Object wake = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile long wakeGeneration;
    private volatile List<Map.Entry<QueueName, String>> ready = List.of();
    private volatile long readAt;
    private volatile long readGeneration = -1;
    private JobRunnerClient client;
    private volatile boolean stale = true;
    private StatefulRedisPubSubConnection<String, String> pubsub;

    @Override
    public String name() {
        return "client-loop";
    }

    @Override
    public void start(ClientSettings settings, int slots, BenchHandler handler) {
        client = JobRunnerClient.connect(settings);
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                signal();
            }
        });
        sub.sync().subscribe(client.keys().wakeChannel());
        pubsub = sub;
        running = true;
        JobConsumer consumer = client.consumer();
        for (int i = 0; i < slots; i++) {
            Thread t = new Thread(() -> loop(consumer, handler), "bench-slot-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(JobConsumer consumer, BenchHandler handler) {
        while (running) {
            long generation = wakeGeneration;
            List<Map.Entry<QueueName, String>> queues = readyQueues(generation);
            if (queues.isEmpty()) {
                awaitWake(generation);
                continue;
            }
            Map.Entry<QueueName, String> pick = queues.get(ThreadLocalRandom.current().nextInt(queues.size()));
            try {
                ClaimBatch batch = consumer.claim(pick.getKey(), 1, CLAIM_TTL).join();
                if (batch.jobs().isEmpty()) {
                    client.registry().removeIfUnchanged(pick.getKey(), pick.getValue()).join();
                    stale = true;
                    continue;
                }
                for (ClaimedJob job : batch.jobs()) {
                    handler.handle(job.job());
                    consumer.ack(pick.getKey(), List.of(job.ref())).join();
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("client-loop slot: " + e);
                }
            }
        }
    }

    private synchronized List<Map.Entry<QueueName, String>> readyQueues(long generation) {
        if (stale || System.nanoTime() - readAt > REFRESH_NANOS || readGeneration != generation) {
            stale = false;
            ready = List.copyOf(client.registry().readyQueues().join().entrySet());
            readAt = System.nanoTime();
            readGeneration = generation;
        }
        return ready;
    }

    private void signal() {
        synchronized (wake) {
            wakeGeneration++;
            wake.notifyAll();
        }
    }

    private void awaitWake(long generation) {
        synchronized (wake) {
            if (wakeGeneration == generation && running) {
                try {
                    wake.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        signal();
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        if (pubsub != null) {
            pubsub.close();
            pubsub = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
