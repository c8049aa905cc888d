package io.jobrunner.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogSetupTest {

    @Test
    void jsonLinesCarryTheMdcAndJdkLoggingComesThroughSlf4j() throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogSetup.install("json"); // the console appender restarts on the captured stream with the JSON encoder
            MDC.put("queue", "wiki1/sendMail");
            MDC.put("jobId", "j-42");
            try {
                LoggerFactory.getLogger("jobs.sendMail").warn("attempt {} failed", 2);
            } finally {
                MDC.clear();
            }
            java.util.logging.Logger.getLogger("jdk.internal.thing").warning("from java.util.logging");
        } finally {
            System.setOut(console);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode job = mapper.readTree(lines[0]);
        assertThat(job.get("level").asText()).isEqualTo("WARN");
        assertThat(job.get("loggerName").asText()).isEqualTo("jobs.sendMail");
        assertThat(job.get("formattedMessage").asText()).isEqualTo("attempt 2 failed");
        assertThat(job.get("mdc").get("queue").asText()).isEqualTo("wiki1/sendMail");
        assertThat(job.get("mdc").get("jobId").asText()).isEqualTo("j-42");
        assertThat(job.has("timestamp")).isTrue();
        JsonNode jul = mapper.readTree(lines[1]);
        assertThat(jul.get("loggerName").asText()).isEqualTo("jdk.internal.thing");
        assertThat(jul.get("formattedMessage").asText()).isEqualTo("from java.util.logging");
    }

    @Test
    void anUnknownFormatIsRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> LogSetup.install("xml")).hasMessage("JOBRUNNER_LOG_FORMAT must be text or json, was 'xml'");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(LogSetup.install(Map.of("JOBRUNNER_LOG_FORMAT", "logfmt"), new PrintStream(err, true, StandardCharsets.UTF_8))).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("config error: JOBRUNNER_LOG_FORMAT must be text or json, was 'logfmt'");
    }
}
