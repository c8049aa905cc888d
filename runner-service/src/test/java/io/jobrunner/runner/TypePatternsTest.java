package io.jobrunner.runner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypePatternsTest {

    @Test
    void namesAndGlobs() {
        TypePatterns p = TypePatterns.of(List.of("sendMail", "html*", "*Update", "a*b*c"));
        assertThat(p.matches("sendMail")).isTrue();
        assertThat(p.matches("sendMailX")).isFalse();
        assertThat(p.matches("html")).isTrue();
        assertThat(p.matches("htmlCacheUpdate")).isTrue();
        assertThat(p.matches("recentChangesUpdate")).isTrue();
        assertThat(p.matches("aXbYc")).isTrue();
        assertThat(p.matches("abc")).isTrue();
        assertThat(p.matches("acb")).isFalse();
        assertThat(TypePatterns.of(List.of("*")).matches("anything.at-all_1")).isTrue();
        assertThat(TypePatterns.of(List.of("a.b")).matches("aXb")).isFalse(); // dots are literal
        assertThat(p.exactNames()).containsExactly("sendMail");
    }

    @Test
    void malformedEntriesAreRejected() {
        assertThatThrownBy(() -> TypePatterns.of(List.of("send mail"))).hasMessageContaining("send mail");
        assertThatThrownBy(() -> TypePatterns.of(List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TypePatterns.of(List.of("a?"))).isInstanceOf(IllegalArgumentException.class);
    }
}
