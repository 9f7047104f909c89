package io.caravan.destination.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Key ranges of syncing's objects: they only ever claim an object lacks a key when it surely does. */
class KeyRangesTest {

    @TempDir
    Path dir;

    @Test
    void numericKeysCompareByValueAndNonNumbersLast() {
        assertThat(KeyRanges.compareNumbers("9", "10")).isNegative();
        assertThat(KeyRanges.compareNumbers("1.50", "1.5")).isZero();
        assertThat(KeyRanges.compareNumbers("NaN", "1e300")).isPositive();
        assertThat(KeyRanges.compareNumbers("-Infinity", "NaN")).isNegative();
    }

    @Test
    void rangesWidenBeforeAPutAndBecomeExactAfterIt() throws Exception {
        KeyRanges r = new KeyRanges(true);
        r.widen("a", "1", "10");
        r.exact("a", 100, "1", "10");
        r.widen("b", "20", "30");
        assertThat(r.mayHold("a", 100, "11", "19")).isFalse();
        assertThat(r.mayHold("a", 100, "10", "19")).isTrue();
        assertThat(r.mayHold("a", 99, "11", "19")).as("another size: not trusted").isTrue();
        assertThat(r.mayHold("b", 5, "31", "40")).as("a widened range holds for any size").isFalse();
        assertThat(r.mayHold("c", 5, "31", "40")).as("unknown object").isTrue();

        Path file = dir.resolve("k.json");
        r.save(file);
        KeyRanges loaded = new KeyRanges(true);
        loaded.load(file);
        // an overwrite of b widens its stored range instead of replacing it
        loaded.widen("b", "50", "60");
        assertThat(loaded.mayHold("b", 5, "25", "25")).isTrue();
        assertThat(loaded.mayHold("b", 5, "55", "55")).isTrue();
        assertThat(loaded.mayHold("b", 5, "61", "70")).isFalse();
        assertThat(loaded.mayHold("a", 100, "11", "19")).isFalse();
        loaded.retain(List.of("b"));
        assertThat(loaded.mayHold("a", 100, "11", "19")).isTrue();
    }
}
