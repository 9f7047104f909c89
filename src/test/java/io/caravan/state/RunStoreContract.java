package io.caravan.state;

import io.caravan.state.RunRecord.DestinationRun;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RunStore} guarantees, run against each real store by a thin subclass: a run saved at its start
 * and again at its end is one run; destinations come back in their order; listing filters, orders newest first and
 * limits; data outlives the store object.
 */
abstract class RunStoreContract {

    /** A start with nanoseconds: the stores keep milliseconds. */
    static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456789Z");

    /** @return a new store object over this test's data (the same data on every call) */
    abstract RunStore open();

    static RunRecord running(String id, String job, String table, Instant started) {
        return new RunRecord(id, job, table, started, null, "running", 1, 0, 0, 0.0,
                "INCREMENTAL bookmark=2026-04-30 10:00:00+00 key=41", null, null, List.of());
    }

    static RunRecord succeeded(RunRecord start, List<DestinationRun> destinations) {
        return new RunRecord(start.id(), start.job(), start.table(), start.started(),
                start.started().plusMillis(12_345), "succeeded", start.attempt(), 1_500, 98_765, 12.345,
                start.cursorBefore(), "INCREMENTAL bookmark=2026-05-01 09:59:59.5+00 key=1541", null, destinations);
    }

    /** @return {@code r} as the stores give it back: instants to the millisecond */
    static RunRecord kept(RunRecord r) {
        return new RunRecord(r.id(), r.job(), r.table(), r.started().truncatedTo(ChronoUnit.MILLIS),
                r.ended() == null ? null : r.ended().truncatedTo(ChronoUnit.MILLIS), r.status(), r.attempt(),
                r.rowsRead(), r.bytesRead(), r.seconds(), r.cursorBefore(), r.cursorAfter(), r.error(),
                r.destinations());
    }

    @Test
    void aRunSavedAtStartThenAtEndIsOneRunWithItsEndState() {
        RunRecord start = running("run-1", "shop", "orders", T0);
        RunRecord end = succeeded(start, List.of(new DestinationRun("dw", 1_500, 0, 98_000, 3.25)));
        try (RunStore store = open()) {
            store.save(start);
            assertThat(store.find("run-1")).contains(kept(start));
            store.save(end);
            assertThat(store.find("run-1")).contains(kept(end));
            assertThat(store.list("shop", null, null, 10)).containsExactly(kept(end));
            assertThat(store.list(null, null, "running", 10)).isEmpty();
        }
    }

    @Test
    void destinationsComeBackInTheirOrderWithEveryCounter() {
        List<DestinationRun> three = List.of(new DestinationRun("zeta", 10, 2, 1_000, 0.5),
                new DestinationRun("alpha", 9_000_000_000_000L, 0, 5_000_000_000L, 1234.000001),
                new DestinationRun("mid", 0, 7, 0, 0.0));
        RunRecord start = running("run-2", "shop", "orders", T0);
        RunRecord failed = new RunRecord("run-2", "shop", "orders", T0, T0.plusSeconds(3), "failed", 2, 10, 900,
                3.0, null, null, "java.sql.SQLException: connection reset\n\tat somewhere ('quoted' \"and\" ünïcode)",
                three);
        try (RunStore store = open()) {
            store.save(start);
            store.save(failed);
            // fewer destinations at a later save: the run's rows are replaced, not merged
            RunRecord cutOff = new RunRecord("run-3", "shop", "lines", T0, T0.plusSeconds(1), "cut_off", 1, 1, 1,
                    1.0, null, null, null, List.of(three.get(1)));
            store.save(new RunRecord("run-3", "shop", "lines", T0, null, "running", 1, 0, 0, 0.0, null, null, null,
                    three));
            store.save(cutOff);
            assertThat(store.find("run-2")).contains(kept(failed));
            assertThat(store.find("run-3")).contains(kept(cutOff));
            assertThat(store.find("run-2").orElseThrow().rowsWritten()).isEqualTo(9_000_000_000_010L);
        }
    }

    @Test
    void listFiltersByJobTableAndStatusNewestFirstWithinTheLimit() {
        try (RunStore store = open()) {
            store.save(running("a", "shop", "orders", T0));
            store.save(succeeded(running("b", "shop", "orders", T0.plusSeconds(60)), List.of()));
            store.save(running("c", "shop", "lines", T0.plusSeconds(30)));
            store.save(succeeded(running("d", "billing", "orders", T0.plusSeconds(90)), List.of()));
            // e and f start in the same millisecond: the id breaks the tie, descending
            store.save(running("e", "billing", "invoices", T0.plusSeconds(120)));
            store.save(running("f", "billing", "invoices", T0.plusSeconds(120).plusNanos(1_000)));

            assertThat(ids(store.list(null, null, null, 100))).isEqualTo("f e d b c a");
            assertThat(ids(store.list(null, null, null, 2))).isEqualTo("f e");
            assertThat(ids(store.list("shop", null, null, 100))).isEqualTo("b c a");
            assertThat(ids(store.list("shop", "orders", null, 100))).isEqualTo("b a");
            assertThat(ids(store.list("shop", "orders", null, 1))).isEqualTo("b");
            assertThat(ids(store.list(null, "orders", null, 100))).isEqualTo("d b a");
            assertThat(ids(store.list(null, null, "succeeded", 100))).isEqualTo("d b");
            assertThat(ids(store.list("shop", null, "running", 100))).isEqualTo("c a");
            assertThat(ids(store.list("shop", "orders", "running", 100))).isEqualTo("a");
            assertThat(store.list("nobody", null, null, 100)).isEmpty();
            assertThat(store.list(null, null, "failed", 100)).isEmpty();
            assertThatThrownBy(() -> store.list(null, null, null, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("limit must be 1 or more but was 0");
        }
    }

    @Test
    void anUnknownRunIsEmpty() {
        try (RunStore store = open()) {
            store.save(running("known", "shop", "orders", T0));
            assertThat(store.find("unknown")).isEmpty();
        }
    }

    @Test
    void runsOutliveTheStoreObject() {
        RunRecord end = succeeded(running("kept", "shop", "orders", T0), List.of(new DestinationRun("dw", 1, 0, 2,
                0.25)));
        try (RunStore store = open()) {
            store.save(end);
        }
        try (RunStore store = open()) {
            assertThat(store.find("kept")).contains(kept(end));
            assertThat(store.list(null, null, null, 10)).containsExactly(kept(end));
        }
    }

    @Test
    void aClosedStoreFailsWithAStateException() {
        RunStore store = open();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.save(running("late", "shop", "orders", T0)))
                .isInstanceOf(StateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.find("late")).isInstanceOf(StateException.class);
        assertThatThrownBy(() -> store.list(null, null, null, 1)).isInstanceOf(StateException.class);
    }

    private static String ids(List<RunRecord> runs) {
        return runs.stream().map(RunRecord::id).collect(Collectors.joining(" "));
    }
}
