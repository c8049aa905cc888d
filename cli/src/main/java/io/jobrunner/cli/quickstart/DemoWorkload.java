package io.jobrunner.cli.quickstart;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobrunner.client.Job;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quickstart's demo jobs, deterministic for a given size: mostly short high-priority work, a
 * low-priority type with longer jobs, delayed mails, de-duplicated cache refreshes (every page pushed
 * twice) and a type that fails once then succeeds, spread over three domains.
 */
public final class DemoWorkload {

    public static final String THUMBNAIL = "demo.thumbnail";
    public static final String REINDEX = "demo.reindex";
    public static final String SEND_MAIL = "demo.sendMail";
    public static final String REFRESH_CACHE = "demo.refreshCache";
    public static final String FLAKY = "demo.flaky";

    /** Every demo type, high-priority ones first; {@link #REINDEX} is the low class. */
    public static final List<String> TYPES = List.of(THUMBNAIL, SEND_MAIL, REFRESH_CACHE, FLAKY, REINDEX);

    private static final List<String> DOMAINS = List.of("shop1", "shop2", "shop3");
    /** One cycle of 20 pushes: the mix of the workload. */
    private static final List<String> CYCLE = List.of(
            THUMBNAIL, REINDEX, THUMBNAIL, SEND_MAIL, THUMBNAIL, REINDEX, REFRESH_CACHE, THUMBNAIL, FLAKY, REINDEX,
            THUMBNAIL, SEND_MAIL, THUMBNAIL, REINDEX, REFRESH_CACHE, THUMBNAIL, FLAKY, REINDEX, SEND_MAIL, THUMBNAIL);

    private DemoWorkload() {
    }

    /** {@code size} pushes (duplicates included), in push order. */
    public static List<Job> jobs(int size, Clock clock) {
        List<Job> jobs = new ArrayList<>(size);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String type = CYCLE.get(i % CYCLE.size());
            int n = seen.merge(type, 1, Integer::sum);
            String domain = DOMAINS.get(i % DOMAINS.size());
            Job job = Job.of(type, JsonNodeFactory.instance.objectNode().put("n", n)).inDomain(domain).enqueuedAt(clock.millis());
            switch (type) {
                case SEND_MAIL -> {
                    if (n % 2 == 0) { // every other mail waits 1 to 3 seconds
                        job = job.releaseAt(clock.instant().plus(Duration.ofMillis(1000 + (n * 337L) % 2000)));
                    }
                }
                case REFRESH_CACHE -> // pages 1,1,2,2,...: the second push of each page is a duplicate while the first waits
                        job = Job.of(type, JsonNodeFactory.instance.objectNode().put("page", "Page_" + ((n + 1) / 2)))
                                .inDomain("shop1").enqueuedAt(clock.millis()).deduplicated();
                default -> {
                }
            }
            jobs.add(job);
        }
        return jobs;
    }
}
