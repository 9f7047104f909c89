package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target table that exists before the first run must carry a unique key on exactly the key Caravan writes by (the
 * source key, plus {@code partition_col}, plus {@code migration_snapshot_date} for a dump). Without one, a direct
 * COPY never meets the unique violation that makes it merge, so every row written again would be there twice: the
 * run is refused before it writes a row, with a message that says what to do.
 */
class ExistingTargetKeyIT {

    private static final String TARGET_COLUMNS = "id bigint NOT NULL, status text NOT NULL, amount numeric(12,2),"
            + " updated_at timestamptz NOT NULL";
    private static final String COLUMNS = PipelineHarness.ORDERS_COLUMNS;

    @TempDir
    Path dir;

    private PipelineHarness world(String mode, String extra) {
        return PipelineHarness.orders(dir, mode, extra);
    }

    private static void change(PipelineHarness h) {
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (10, 200)",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
    }

    private List<String> source(PipelineHarness h) {
        return h.tableRows(h.sourceDb(), "orders", COLUMNS, "id");
    }

    private static String refused(PipelineHarness h, String key) {
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(h.dir().resolve("shop.yaml")));
        assertThat(r.exitCode()).isEqualTo(1);
        String printed = r.out() + r.err();
        assertThat(printed).contains("job shop, table orders, destination warehouse: target table dw.orders exists"
                + " without a primary key or unique index on exactly (" + key + ")")
                .contains("add a primary key on (" + key + ") or drop the table and let Caravan create it");
        return printed;
    }

    @Test
    void existingTargetWithoutAUniqueKeyIsRefusedBeforeAnyRowIsWritten() {
        PipelineHarness h = world("syncing", "    bookmark: updated_at\n");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (" + TARGET_COLUMNS + ")");
        refused(h, "id");
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders")).isZero();

        h.execute(dst, "ALTER TABLE dw.orders ADD PRIMARY KEY (id)");
        Path mapping = h.dir().resolve("shop.yaml");
        h.runOk(mapping);
        change(h);
        h.runOk(mapping);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(source(h));
    }

    @Test
    void uniqueIndexOnTheKeyAloneIsEnoughAndNoRowIsWrittenTwice() {
        PipelineHarness h = world("syncing", "    bookmark: updated_at\n");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (" + TARGET_COLUMNS + ")",
                "CREATE UNIQUE INDEX orders_id ON dw.orders (id) INCLUDE (status)",
                "INSERT INTO dw.orders VALUES (1, 'old', 0, now() - interval '2 days')");
        Path mapping = h.dir().resolve("shop.yaml");
        h.runOk(mapping);
        change(h);
        h.runOk(mapping);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(source(h));
    }

    @Test
    void uniqueIndexOnMoreColumnsThanTheKeyIsRefused() {
        PipelineHarness h = world("logging", "");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (" + TARGET_COLUMNS + ", UNIQUE (id, status))");
        refused(h, "id");
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders")).isZero();
    }

    @Test
    void existingDumpTargetNeedsTheSnapshotDateInItsKey() {
        PipelineHarness h = world("dumping", "");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (" + TARGET_COLUMNS + ","
                + " migration_snapshot_date timestamptz NOT NULL)");
        refused(h, "id, migration_snapshot_date");
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders")).isZero();

        h.execute(dst, "ALTER TABLE dw.orders ADD PRIMARY KEY (migration_snapshot_date, id)");
        h.runOk(h.dir().resolve("shop.yaml"));
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(source(h));
    }
}
