package io.jobrunner.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobrunner.client.ClientSettings;
import io.jobrunner.client.Job;
import io.jobrunner.client.JobProducer;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The README's "Producing jobs from Java" example, kept here so it compiles and runs in the build
 * ({@link ReadmeExampleIT}); {@link ReadmeTest} checks that the README shows exactly the code between the
 * markers.
 */
final class ReadmeExample {

    private ReadmeExample() {
    }

    static PushResult produce(ClientSettings settings) {
        // README-EXAMPLE-BEGIN
        // One client per process: it holds one pipelined, thread-safe connection.
        try (JobRunnerClient client = JobRunnerClient.connect(settings)) {
            JobProducer producer = client.producer();

            // A job: a type, a domain (tenant) and JSON params.
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("to", "ada@example.org");
            Job welcome = Job.of("sendMail", params).inDomain("shop1");

            // Delayed: not run before the given time.
            Job reminder = Job.of("sendMail", params.deepCopy().put("template", "reminder"))
                    .inDomain("shop1")
                    .releaseAt(Instant.now().plus(Duration.ofHours(1)));

            // De-duplicated: dropped while an equal job (same type and params, "requestId" aside) waits.
            Job refresh = Job.of("refreshPage", JsonNodeFactory.instance.objectNode()
                            .put("page", "Main_Page").put("requestId", "r-123"))
                    .inDomain("shop1")
                    .deduplicated("requestId");

            // One round trip per queue for the whole list; an invalid job throws before Redis is touched.
            PushResult result = producer.push(List.of(welcome, reminder, refresh));
            System.out.println("pushed " + result.pushed().size() + ", duplicates " + result.duplicates().size());
            return result;
        }
        // README-EXAMPLE-END
    }
}
