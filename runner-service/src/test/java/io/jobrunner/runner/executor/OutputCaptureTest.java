package io.jobrunner.runner.executor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OutputCaptureTest {

    private static void write(OutputCapture capture, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        capture.write(bytes, 0, bytes.length);
    }

    @Test
    void underTheCapEverythingIsKeptAndNothingIsSaidAboutTruncation() {
        OutputCapture capture = OutputCapture.tail(16);
        write(capture, "hello\n");

        assertThat(capture.text()).isEqualTo("hello");
        assertThat(capture.truncated()).isFalse();
        assertThat(capture.total()).isEqualTo(6);
    }

    @Test
    void tailKeepsTheLastBytesAcrossManyWrites() {
        OutputCapture capture = OutputCapture.tail(8);
        for (int i = 0; i < 10; i++) {
            write(capture, "ab" + i);
        }

        assertThat(capture.content()).isEqualTo("b7ab8ab9");
        assertThat(capture.text()).isEqualTo("[truncated: 22 of 30 bytes cut, kept the last 8] b7ab8ab9");
    }

    @Test
    void tailKeepsTheEndOfOneLargeWrite() {
        OutputCapture capture = OutputCapture.tail(4);
        write(capture, "abc");
        write(capture, "0123456789");

        assertThat(capture.content()).isEqualTo("6789");
        assertThat(capture.total()).isEqualTo(13);
    }

    @Test
    void headKeepsTheFirstBytes() throws IOException {
        OutputCapture capture = OutputCapture.head(5);
        capture.drain(new ByteArrayInputStream("first second third".getBytes(StandardCharsets.UTF_8)));

        assertThat(capture.text()).isEqualTo("first [truncated: 13 of 18 bytes cut, kept the first 5]");
    }

    @Test
    void aCapOfZeroKeepsNothingButCounts() {
        OutputCapture capture = OutputCapture.tail(0);
        write(capture, "abc");

        assertThat(capture.content()).isEmpty();
        assertThat(capture.total()).isEqualTo(3);
        assertThat(capture.text()).isEqualTo("[truncated: 3 of 3 bytes cut, kept the last 0]");
    }

    @Test
    void aMultiByteCharacterCutInHalfIsReplacedNotFatal() {
        OutputCapture capture = OutputCapture.tail(3);
        write(capture, "é€"); // 2 + 3 bytes: the last 3 are exactly "€"
        assertThat(capture.content()).isEqualTo("€");
        write(capture, "x"); // now the last 3 bytes start inside "€"
        assertThat(capture.content()).endsWith("x").contains("\uFFFD");
    }
}
