package io.jobrunner.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DedupKeys}: equal type and params (in any key order, less the ignored ones) give equal keys. */
class DedupKeysTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void keyOrderDoesNotMatterAtAnyDepth() {
        ObjectNode a = F.objectNode().put("page", "Main").put("ns", 0);
        a.putObject("opts").put("x", 1).put("y", 2);
        ObjectNode b = F.objectNode();
        b.putObject("opts").put("y", 2).put("x", 1);
        b.put("ns", 0).put("page", "Main");
        assertThat(DedupKeys.of("t", a)).isEqualTo(DedupKeys.of("t", b));
    }

    @Test
    void typeAndEveryValueMatter() {
        ObjectNode p = F.objectNode().put("page", "Main");
        String key = DedupKeys.of("t", p);
        assertThat(DedupKeys.of("u", p)).isNotEqualTo(key);
        assertThat(DedupKeys.of("t", F.objectNode().put("page", "Other"))).isNotEqualTo(key);
        assertThat(DedupKeys.of("t", F.objectNode().put("page", "Main").put("more", true))).isNotEqualTo(key);
        ObjectNode list1 = F.objectNode();
        list1.putArray("ids").add(1).add(2);
        ObjectNode list2 = F.objectNode();
        list2.putArray("ids").add(2).add(1);
        assertThat(DedupKeys.of("t", list1)).as("array order is data").isNotEqualTo(DedupKeys.of("t", list2));
    }

    @Test
    void ignoredTopLevelParamsAreLeftOutAndTheParamsAreNotChanged() {
        ObjectNode a = F.objectNode().put("page", "Main").put("requestId", "r1").put("ts", 1);
        ObjectNode b = F.objectNode().put("page", "Main").put("requestId", "r2").put("ts", 2);
        assertThat(DedupKeys.of("t", a, "requestId", "ts")).isEqualTo(DedupKeys.of("t", b, "requestId", "ts"));
        assertThat(DedupKeys.of("t", a, "requestId")).isNotEqualTo(DedupKeys.of("t", b, "requestId"));
        assertThat(a.has("requestId")).isTrue();
    }

    @Test
    void anIgnoredParamListedTwiceOrAbsentIsHarmless() {
        ObjectNode p = F.objectNode().put("page", "Main").put("ts", 1);
        assertThat(DedupKeys.of("t", p, "ts", "ts", "absent")).isEqualTo(DedupKeys.of("t", F.objectNode().put("page", "Main")));
    }

    @Test
    void keysAreCompactUrlSafeAndFitTheDedupKeyRule() {
        String key = DedupKeys.of("t", F.objectNode().put("page", "x".repeat(10_000)));
        assertThat(key).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void theTypeCannotBeConfusedWithAParam() {
        assertThat(DedupKeys.of("a", F.objectNode())).isNotEqualTo(DedupKeys.of("b", F.objectNode()));
        assertThat(DedupKeys.of("t", F.objectNode())).isEqualTo(DedupKeys.of("t", F.objectNode()));
    }
}
