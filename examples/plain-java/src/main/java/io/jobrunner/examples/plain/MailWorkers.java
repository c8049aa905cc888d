package io.jobrunner.examples.plain;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import io.jobrunner.runner.JobRunner;
import io.jobrunner.runner.executor.PermanentJobException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An application that sends welcome mails in the background: workers started in plain Java, jobs pushed through
 * a client of its own (as a web request handler would), a graceful stop at the end.
 * <p>
 * Run it with {@code java -cp ... io.jobrunner.examples.plain.MailWorkers [redis-uri] [mails]}.
 */
public final class MailWorkers {

    /** Where the mails go; a real application would talk to its mail server here. */
    public interface Mailer {
        void send(String to, String template) throws Exception;
    }

    private MailWorkers() {
    }

    public static void main(String[] args) throws Exception {
        String redis = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int mails = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Mailer logOnly = (to, template) -> System.out.println("mail '" + template + "' to " + to);
        System.out.println(run(redis, "jr", mails, logOnly) + " mails sent");
    }

    /** Starts the workers, pushes {@code mails} welcome mails, waits until they are sent, stops; returns how many were. */
    public static long run(String redisUri, String prefix, int mails, Mailer mailer) throws InterruptedException {
        CountDownLatch sent = new CountDownLatch(mails);
        JobRunner workers = JobRunner.builder()
                .redis(redisUri).prefix(prefix)
                .group("mail", 4, "sendMail")
                .handler("sendMail", job -> {
                    String to = job.params().path("to").asText("");
                    if (!to.contains("@")) {
                        throw new PermanentJobException("not a mail address: '" + to + "'"); // retrying cannot help
                    }
                    mailer.send(to, job.params().path("template").asText("welcome"));
                    sent.countDown();
                })
                .attempts("sendMail", 5)
                .timeout("sendMail", Duration.ofSeconds(30))
                .shutdownGrace(Duration.ofSeconds(10))
                .start();
        try (JobRunnerClient producer = JobRunnerClient.builder().redis(redisUri).prefix(prefix).connect()) {
            for (int i = 0; i < mails; i++) {
                PushResult pushed = producer.producer().push(Job.of("sendMail", Map.of("to", "user" + i + "@example.org"))
                        .inDomain("shop1"));
                if (pushed.pushed().isEmpty()) {
                    throw new IllegalStateException("mail " + i + " was not pushed: " + pushed);
                }
            }
            if (!sent.await(60, TimeUnit.SECONDS)) {
                System.err.println("only " + (mails - sent.getCount()) + " of " + mails + " mails were sent in time");
            }
        } finally {
            workers.close(); // stop claiming, let running jobs finish, give the rest back
        }
        return mails - sent.getCount();
    }
}
