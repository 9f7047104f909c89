package io.caravan.source.jdbc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KeyRanges} covers the whole key span in consecutive ranges, the last one unbounded, sized by density. */
class KeyRangesTest {

    /** Takes every range, reporting {@code rowsPerKey} rows per key value in each bounded one. */
    private static List<KeyRanges.Range> all(KeyRanges r, double rowsPerKey) {
        List<KeyRanges.Range> out = new ArrayList<>();
        KeyRanges.Range next;
        while ((next = r.next()) != null) {
            out.add(next);
            if (next.high() != null) {
                r.read(next, (long) ((next.high() - next.low()) * rowsPerKey));
            }
            assertThat(out).as("ranges").hasSizeLessThan(10_000);
        }
        return out;
    }

    private static void assertContiguous(List<KeyRanges.Range> ranges, long min) {
        assertThat(ranges.get(0).low()).isEqualTo(min);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).low()).isEqualTo(ranges.get(i - 1).high());
        }
        assertThat(ranges.get(ranges.size() - 1).high()).isNull();
        assertThat(ranges.subList(0, ranges.size() - 1)).allMatch(r -> r.high() != null && r.high() > r.low());
    }

    @Test
    void denseKeysGetRangesOfTheTargetRows() {
        List<KeyRanges.Range> ranges = all(new KeyRanges(1, 100_000, 10_000), 1.0);
        assertContiguous(ranges, 1);
        assertThat(ranges).hasSize(10);
        assertThat(ranges.get(0)).isEqualTo(new KeyRanges.Range(1, 10_001L));
        assertThat(ranges.get(9)).isEqualTo(new KeyRanges.Range(90_001, null));
    }

    @Test
    void sparseKeysWidenTheRangesByTheDensitySeen() {
        List<KeyRanges.Range> ranges = all(new KeyRanges(0, 1_000_000_000L, 1_000), 0.001);
        assertContiguous(ranges, 0);
        // the first range assumes one row per key; the rest hold about 1,000 rows (1,000,000 keys) each
        assertThat(ranges.get(1).high() - ranges.get(1).low()).isEqualTo(1_000_000L);
        assertThat(ranges.size()).isBetween(1_000, 1_002);
    }

    @Test
    void emptyRangesGrowFourfoldAndTheExtremesDoNotOverflow() {
        List<KeyRanges.Range> ranges = all(new KeyRanges(Long.MIN_VALUE, Long.MAX_VALUE, 100), 0.0);
        assertContiguous(ranges, Long.MIN_VALUE);
        assertThat(ranges.get(1).high() - ranges.get(1).low()).isEqualTo(400);
        assertThat(ranges.size()).isLessThan(40);
        assertThat(all(new KeyRanges(5, 5, 100), 1.0)).containsExactly(new KeyRanges.Range(5, null));
        assertThatThrownBy(() -> new KeyRanges(2, 1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
