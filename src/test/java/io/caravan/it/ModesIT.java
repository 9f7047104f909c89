package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What each mode leaves at the destination after inserts, updates and deletes at the source (DESIGN §3). */
class ModesIT {

    private static final String COLUMNS = PipelineHarness.ORDERS_COLUMNS;

    @TempDir
    Path dir;

    private PipelineHarness world(String mode, String extra) {
        return PipelineHarness.orders(dir, mode, extra);
    }

    /** Updates two rows, deletes one and inserts one at the source. */
    private static void change(PipelineHarness h) {
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (10, 200)",
                "DELETE FROM orders WHERE id = 20",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
    }

    private List<String> source(PipelineHarness h) {
        return h.tableRows(h.sourceDb(), "orders", COLUMNS, "id");
    }

    private List<String> target(PipelineHarness h) {
        return h.tableRows(h.destinationDb(0), "dw.orders", COLUMNS, "id");
    }

    @Test
    void syncingUpsertsChangesAndKeepsDeletedRows() {
        PipelineHarness h = world("syncing", "    bookmark: updated_at\n");
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        assertThat(target(h)).isEqualTo(source(h));
        List<String> beforeDelete = source(h);
        change(h);
        h.runOk(mapping);
        List<String> expected = new java.util.ArrayList<>(source(h));
        expected.add(beforeDelete.get(19));
        expected.sort(java.util.Comparator.comparingLong(s -> Long.parseLong(s.substring(0, s.indexOf('|')))));
        assertThat(target(h)).isEqualTo(expected);
        assertThat(h.rows(h.destinationDb(0), "SELECT status FROM dw.orders WHERE id IN (10, 200) ORDER BY id"))
                .containsExactly("paid", "paid");
    }

    @Test
    void mirroringEqualsTheSourceRowForRow() {
        PipelineHarness h = world("mirroring", "    bookmark: updated_at\n");
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        change(h);
        h.source("DELETE FROM orders WHERE id BETWEEN 100 AND 140");
        PipelineHarness.Result r = h.runOk(mapping);
        assertThat(target(h)).isEqualTo(source(h));
        assertThat(r.out()).containsPattern("shop\\s+orders\\s+warehouse\\s+succeeded\\s+3\\s+3\\s+42");
    }

    @Test
    void loggingAppendsNewKeysAndNeverUpdates() {
        PipelineHarness h = world("logging", "");
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        List<String> first = target(h);
        assertThat(first).isEqualTo(source(h));
        change(h);
        h.runOk(mapping);
        List<String> after = target(h);
        assertThat(after).hasSize(251);
        assertThat(after.subList(0, 250)).isEqualTo(first);
        assertThat(after.get(250)).startsWith("251|new|9.99|");
    }

    @Test
    void dumpingAppendsOneFullSnapshotPerRun() {
        PipelineHarness h = world("dumping", "");
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        change(h);
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.rows(dst, "SELECT count(*) FROM dw.orders GROUP BY migration_snapshot_date"
                + " ORDER BY migration_snapshot_date")).containsExactly("250", "250");
        String latest = "(SELECT max(migration_snapshot_date) FROM dw.orders)";
        assertThat(h.rows(dst, "SELECT " + COLUMNS + " FROM dw.orders WHERE migration_snapshot_date = " + latest
                + " ORDER BY id")).isEqualTo(source(h));
        assertThat(h.count(dst, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%caravan%'"))
                .isZero();
    }
}
