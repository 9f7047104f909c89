package io.caravan.source.kafka;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka source's cursor text: next offset per partition. */
class OffsetsTest {

    @Test
    void roundTripsInPartitionOrder() {
        assertThat(Offsets.format(Map.of(1, 46L, 0, 124L))).isEqualTo("0=124,1=46");
        assertThat(Offsets.parse("0=124,1=46")).isEqualTo(Map.of(0, 124L, 1, 46L));
        assertThat(Offsets.parse(null)).isEmpty();
    }

    @Test
    void aStoredCursorCoversABatchWhenNoPartitionIsBehind() {
        assertThat(Offsets.covers(Map.of(0, 10L, 1, 5L), Map.of(0, 10L))).isTrue();
        assertThat(Offsets.covers(Map.of(0, 9L), Map.of(0, 10L))).isFalse();
        assertThat(Offsets.covers(Map.of(0, 10L), Map.of(1, 1L))).isFalse();
    }

    @Test
    void refusesACursorOfAnotherSource() {
        assertThatThrownBy(() -> Offsets.parse("2024-05-01 10:00:00+00")).isInstanceOf(IllegalArgumentException.class);
    }
}
