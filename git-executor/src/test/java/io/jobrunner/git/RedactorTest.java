package io.jobrunner.git;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void stripsUserInfoFromEveryUrl() {
        assertThat(Redactor.stripUserInfo("fetch https://bot:s3cret@github.com/a.git and http://tok@h:8080/x failed"))
                .isEqualTo("fetch https://github.com/a.git and http://h:8080/x failed");
        assertThat(Redactor.stripUserInfo("git@github.com:a/b.git")).isEqualTo("git@github.com:a/b.git");
        assertThat(Redactor.stripUserInfo("ssh://git@github.com/a/b.git")).isEqualTo("ssh://github.com/a/b.git");
    }

    @Test
    void replacesKnownSecretsLongestFirst() {
        Redactor redactor = new Redactor(Arrays.asList("abc", "abcdef", null, ""));
        assertThat(redactor.redact("x abcdef y abc z")).isEqualTo("x *** y *** z");
        assertThat(redactor.redact(null)).isNull();
        assertThat(Redactor.none().redact("https://u:p@h/x")).isEqualTo("https://h/x");
        assertThat(new Redactor(List.of("p4ss")).redact("auth failed for user:p4ss")).isEqualTo("auth failed for user:***");
    }
}
