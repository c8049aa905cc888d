package io.jobrunner.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleShapeTest {

    @Test
    void parsesSlotsAndPause() {
        assertThat(IdleShape.parse(" 8 : 5 ")).isEqualTo(new IdleShape(8, 5));
        assertThat(IdleShape.parse("1:2").toString()).isEqualTo("1:2");
    }

    @Test
    void labelsSaySlotOrSlots() {
        assertThat(new IdleShape(1, 2).label()).isEqualTo("1 slot, 2 ms apart");
        assertThat(new IdleShape(8, 5).label()).isEqualTo("8 slots, 5 ms apart");
    }

    @Test
    void badShapesSayWhatIsExpected() {
        assertThatThrownBy(() -> IdleShape.parse("8")).hasMessageContaining("SLOTS:PAUSE_MS");
        assertThatThrownBy(() -> IdleShape.parse("a:5")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> IdleShape.parse("1:2:3")).hasMessageContaining("SLOTS:PAUSE_MS");
        assertThatThrownBy(() -> IdleShape.parse("2000:5")).hasMessageContaining("slots must be 1 to 1024");
        assertThatThrownBy(() -> IdleShape.parse("8:0")).hasMessageContaining("at least 1 ms");
    }
}
