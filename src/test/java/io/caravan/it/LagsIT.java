package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code grace_updation_lag} and {@code buffer_updation_lag} widen the incremental read so that a late commit with a
 * bookmark older than the cursor is still synced; without them it is not (DESIGN §3, bookmark rules).
 */
class LagsIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, status, updated_at";

    @TempDir
    Path dir;

    /**
     * Runs once, then commits row 11 with an updated_at 10 minutes in the past (older than the cursor) and row 12
     * with now(), and runs again with the given table keys.
     */
    private PipelineHarness lateCommit(String lags) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new', now() - interval '1 day' + g * interval '1 second'"
                + " FROM generate_series(1, 10) g");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n" + lags);
        h.runOk(mapping);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(10);
        h.source("INSERT INTO orders VALUES (11, 'late', now() - interval '10 minutes')",
                "INSERT INTO orders VALUES (12, 'on time', now())",
                "UPDATE orders SET status = 'late update', updated_at = now() - interval '10 minutes' WHERE id = 3");
        h.runOk(mapping);
        return h;
    }

    private static java.util.List<String> ids(PipelineHarness h) {
        return h.rows(h.destinationDb(0), "SELECT id || ' ' || status FROM dw.orders WHERE id IN (3, 11, 12) ORDER BY id");
    }

    private static void assertEqualToSource(PipelineHarness h) {
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"))
                .hasSize(12);
    }

    @Test
    void lateCommitInsideGraceLagIsSynced() {
        PipelineHarness h = lateCommit("    grace_updation_lag: {hours: 1}\n");
        assertThat(ids(h)).containsExactly("3 late update", "11 late", "12 on time");
        assertEqualToSource(h);
    }

    @Test
    void lateCommitWithoutLagsIsNotSynced() {
        PipelineHarness h = lateCommit("");
        assertThat(ids(h)).containsExactly("3 new", "12 on time");
    }

    @Test
    void lateCommitOlderThanTheGraceLagIsNotSynced() {
        PipelineHarness h = lateCommit("    grace_updation_lag: {minutes: 5}\n");
        assertThat(ids(h)).containsExactly("3 new", "12 on time");
    }

    @Test
    void lateCommitInsideBufferLagIsSynced() {
        PipelineHarness h = lateCommit("    buffer_updation_lag: {hours: 1}\n");
        assertThat(ids(h)).containsExactly("3 late update", "11 late", "12 on time");
        assertEqualToSource(h);
    }

    @Test
    void lateCommitOlderThanTheBufferLagIsNotSynced() {
        PipelineHarness h = lateCommit("    buffer_updation_lag: {minutes: 5}\n");
        assertThat(ids(h)).containsExactly("3 new", "12 on time");
    }

    @Test
    void lagsRereadWithoutDuplicatingRows() {
        PipelineHarness h = lateCommit("    grace_updation_lag: {days: 2}\n    buffer_updation_lag: {days: 2}\n");
        h.runOk(dir.resolve("shop.yaml"));
        assertEqualToSource(h);
        assertThat(h.count(h.destinationDb(0), "SELECT count(DISTINCT id) FROM dw.orders")).isEqualTo(12);
    }
}
