package io.jobrunner.mediawiki.runner;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** runJobs.php's JSON, as MediaWiki 1.39 printed it. */
class RunJobsResultTest {

    static RunJobsResult parse(String text) throws IOException {
        return RunJobsResult.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), (t, ok, ms) -> {
        });
    }

    @Test
    void prettyPrintedOutput() throws IOException {
        RunJobsResult r = parse("""
                {
                    "jobs": [
                        {
                            "type": "refreshLinks",
                            "status": "ok",
                            "error": null,
                            "time": 7
                        },
                        {
                            "type": "refreshLinks",
                            "status": "failed",
                            "error": "Invalid title (0,).",
                            "time": 5
                        }
                    ],
                    "reached": "job-limit",
                    "backoffs": [],
                    "elapsed": 100
                }""");
        assertThat(r.parsed()).isTrue();
        assertThat(r.ok()).isEqualTo(1);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.errors()).containsExactly("Invalid title (0,).");
        assertThat(r.reached()).isEqualTo("job-limit");
        assertThat(r.backoffs()).isEmpty();
        assertThat(r.elapsedMs()).isEqualTo(100);
    }

    @Test
    void compactOutputAndNonePossibleWithoutBackoffsOrElapsed() throws IOException {
        RunJobsResult r = parse("{\"jobs\":[{\"type\":\"htmlCacheUpdate\",\"status\":\"ok\",\"error\":null,\"time\":3}],\"reached\":\"none-ready\",\"backoffs\":[],\"elapsed\":3}");
        assertThat(r.perType().get("htmlCacheUpdate")).containsExactly(1, 0);
        RunJobsResult none = parse("{\"jobs\":[],\"reached\":\"none-possible\"}");
        assertThat(none.parsed()).isTrue();
        assertThat(none.reached()).isEqualTo("none-possible");
        assertThat(none.elapsedMs()).isNull();
        assertThat(BatchOutcomes.outcome(new BatchRun(List.of(), 1, 0, none, false, null, "", java.time.Duration.ZERO))).isEqualTo("none-possible");
    }

    @Test
    void backoffsAsAnObjectOfFloats() throws IOException {
        RunJobsResult r = parse("{\"jobs\":[],\"reached\":\"none-ready\",\"backoffs\":{\"refreshLinks\":1796281605.25},\"elapsed\":0}");
        assertThat(r.backoffs()).containsEntry("refreshLinks", 1796281605.25);
    }

    @Test
    void garbageBeforeAndAfterTheObjectIsKeptForTheLog() throws IOException {
        RunJobsResult r = parse("PHP Notice: something\n{\"jobs\":[],\"reached\":\"none-ready\"}\ntrailing words");
        assertThat(r.parsed()).isTrue();
        assertThat(r.before()).isEqualTo("PHP Notice: something");
        assertThat(r.after()).isEqualTo("trailing words");
    }

    @Test
    void truncatedJsonIsAnError() throws IOException {
        RunJobsResult r = parse("{\"jobs\":[{\"type\":\"a\",\"status\":\"ok\"}");
        assertThat(r.parsed()).isFalse();
        assertThat(r.problem()).contains("incomplete");
        assertThat(BatchOutcomes.outcome(new BatchRun(List.of(), 1, 0, r, false, null, "", java.time.Duration.ZERO))).isEqualTo("error");
        assertThat(parse("").parsed()).isFalse();
        assertThat(parse("Fatal error: no").problem()).contains("no JSON object");
    }

    @Test
    void twoHundredThousandEntriesStreamInABoundedHeap() throws IOException {
        int n = 200_000;
        byte[] entry = "{\"type\":\"htmlCacheUpdate\",\"status\":\"ok\",\"error\":null,\"time\":1},".getBytes(StandardCharsets.UTF_8);
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream("{\"jobs\":[".getBytes(StandardCharsets.UTF_8)));
        Enumeration<InputStream> entries = new Enumeration<>() {
            int i;

            @Override
            public boolean hasMoreElements() {
                return i < n;
            }

            @Override
            public InputStream nextElement() {
                i++;
                return new ByteArrayInputStream(entry, 0, i == n ? entry.length - 1 : entry.length);
            }
        };
        parts.add(new SequenceInputStream(entries));
        parts.add(new ByteArrayInputStream("],\"reached\":\"time-limit\",\"backoffs\":[],\"elapsed\":60000}".getBytes(StandardCharsets.UTF_8)));
        AtomicLong seen = new AtomicLong();
        AtomicLong midway = new AtomicLong();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        RunJobsResult r = RunJobsResult.parse(new SequenceInputStream(Collections.enumeration(parts)), (t, ok, ms) -> {
            if (seen.incrementAndGet() == n / 2) {
                System.gc(); // what is still reachable halfway through: a parser that kept the entries would hold them here
                midway.set(rt.totalMemory() - rt.freeMemory());
            }
        });
        assertThat(seen.get()).isEqualTo(n);
        assertThat(r.ok()).isEqualTo(n);
        assertThat(r.reached()).isEqualTo("time-limit");
        assertThat(midway.get() - before).as("retained halfway through %d MB of output", (long) n * entry.length >> 20)
                .isLessThan((long) entry.length * n / 2 / 2);
    }
}
