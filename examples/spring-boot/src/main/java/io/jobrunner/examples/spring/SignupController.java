package io.jobrunner.examples.spring;

import io.jobrunner.client.Job;
import io.jobrunner.client.JobRunnerClient;
import io.jobrunner.client.PushResult;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Takes a sign-up and leaves the welcome mail to the job runner: the request does not wait for the mail server. */
@RestController
class SignupController {

    private final JobRunnerClient jobs;

    SignupController(JobRunnerClient jobs) {
        this.jobs = jobs;
    }

    @PostMapping("/signups")
    ResponseEntity<Map<String, String>> signUp(@RequestParam("email") String email) {
        PushResult result = jobs.producer().push(Job.of("sendMail", Map.of("to", email, "template", "welcome")));
        return ResponseEntity.accepted().body(Map.of("job", result.pushed().get(0)));
    }
}
