package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large batches are copied straight into the target on two PostgreSQL sessions at once (PgDestination's slices):
 * every row arrives once, and a slice that meets keys already in the target falls back to the staging table's
 * upsert, whichever session wrote it. A statement trigger records the backend of every COPY into the target.
 */
class SlicedCopyIT {

    private static final String COLUMNS = "id, status, updated_at";

    @TempDir
    Path dir;

    private PipelineHarness world() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'new', now() - interval '1 hour' + g * interval '1 ms'"
                        + " FROM generate_series(1, 30000) g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n    batch_size: 10000\n"
                + "    primary_key: id\n    primary_key_datatype: int\n    bookmark: updated_at\n");
        h.execute(h.destinationDb(0), "CREATE SCHEMA dw",
                "CREATE TABLE dw.orders (id bigint PRIMARY KEY, status text, updated_at timestamptz NOT NULL)",
                "CREATE TABLE dw.copies (pid int)",
                "CREATE FUNCTION dw.note_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO dw.copies VALUES (pg_backend_pid()); RETURN NULL; END $$",
                "CREATE TRIGGER note_copy AFTER INSERT ON dw.orders FOR EACH STATEMENT"
                        + " EXECUTE FUNCTION dw.note_copy()");
        return h;
    }

    @Test
    void largeBatchesGoOnTwoSessionsAndEveryRowArrivesOnce() {
        PipelineHarness h = world();
        h.runOk(dir.resolve("shop.yaml"));
        String dst = h.destinationDb(0);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
        assertThat(h.count(dst, "SELECT count(DISTINCT pid) FROM dw.copies")).isEqualTo(2);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.copies")).isEqualTo(5);  // 1 + 2 + 2 COPY statements
    }

    @Test
    void aSliceMeetingKeysAlreadyThereFallsBackToTheUpsert() {
        // keys of the second batch's second slice (ids 15001-20000), which the other session copies: its COPY is
        // rolled back (and so is its trigger's note) and the slice goes through the staging table's upsert
        assertThat(sessionsThatCopiedWithStaleKeys(17001, 17010)).isEqualTo(1);
    }

    @Test
    void theFirstSliceMeetingKeysFallsBackTooAndTheOtherSliceStays() {
        // keys of the second batch's first slice (ids 10001-15000), copied on the run's own session: that COPY is
        // rolled back to its savepoint while the other session's slice stays committed
        assertThat(sessionsThatCopiedWithStaleKeys(12001, 12010)).isEqualTo(2);
    }

    /**
     * Puts stale rows with keys {@code from..to} into the target, runs the job, and checks that the target then
     * equals the source.
     *
     * @return how many sessions' COPY statements into the target committed
     */
    private long sessionsThatCopiedWithStaleKeys(int from, int to) {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        h.execute(dst, "INSERT INTO dw.orders SELECT g, 'stale', now() FROM generate_series(" + from + ", " + to
                + ") g", "DELETE FROM dw.copies");
        h.runOk(dir.resolve("shop.yaml"));
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
        return h.count(dst, "SELECT count(DISTINCT pid) FROM dw.copies");
    }

    @Test
    void aKillMinus9BetweenSlicedBatchesLosesAndDoublesNothing() throws Exception {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        h.source("INSERT INTO orders SELECT g, 'new', now() - interval '1 hour' + g * interval '1 ms'"
                + " FROM generate_series(30001, 80000) g");
        h.execute(dst, "CREATE OR REPLACE FUNCTION dw.note_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO dw.copies VALUES (pg_backend_pid()); PERFORM pg_sleep(0.3); RETURN NULL; END $$");
        KillRecoveryIT.runAndKill(h, () -> h.count(dst, "SELECT count(*) FROM dw.orders") >= 25000);
        h.runOk(dir.resolve("shop.yaml"));
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
    }
}
