package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classes named by {@code process_dict} transform and drop records, and by {@code get_table_name} route records to
 * destination tables of their own, each created with the source table's columns.
 */
class ProcessorsIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " region text NOT NULL, amount numeric(12,2), updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, status, region, amount, updated_at";
    private static final String TABLE = "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
            + "    batch_size: 9\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n";

    @TempDir
    Path dir;

    private PipelineHarness world() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new' || g, CASE WHEN g % 3 = 0 THEN 'eu' ELSE 'us' END,"
                + " g * 1.5, now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 60) g");
        return h;
    }

    /** @return the source rows as the processors should leave them: status upper-cased, id 13 gone */
    private static List<String> processed(PipelineHarness h, String where) {
        return h.rows(h.sourceDb(), "SELECT id, upper(status), region, amount, updated_at FROM orders"
                + " WHERE id <> 13" + where + " ORDER BY id");
    }

    private static void change(PipelineHarness h) {
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (12, 13, 14)",
                "INSERT INTO orders VALUES (61, 'late', 'eu', 1, now())");
    }

    @Test
    void topLevelProcessDictTransformsAndDropsRecords() {
        PipelineHarness h = world();
        Path mapping = h.mappingWith("shop", "process_dict: io.caravan.it.Upper\ndestination:\n"
                + h.destinationYaml("warehouse", 0, "dw"), TABLE);
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(processed(h, "")).hasSize(59);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders WHERE id = 13")).isZero();
        change(h);
        h.runOk(mapping);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(processed(h, "")).hasSize(60);
        assertThat(h.rows(dst, "SELECT status FROM dw.orders WHERE id IN (12, 13, 14, 61) ORDER BY id"))
                .containsExactly("PAID", "PAID", "LATE");
    }

    @Test
    void getTableNameRoutesRecordsToTablesWithTheSourceColumns() {
        PipelineHarness h = world();
        Path mapping = h.mapping("shop", TABLE + "    process_dict: io.caravan.it.Upper\n"
                + "    get_table_name: io.caravan.it.ByRegion\n");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertRouted(h);
        List<String> sourceTypes = h.columnTypes(h.sourceDb(), "public.orders", true);
        assertThat(h.columnTypes(dst, "dw.orders_eu", true)).isEqualTo(sourceTypes);
        assertThat(h.columnTypes(dst, "dw.orders_us", true)).isEqualTo(sourceTypes);
        assertThat(h.count(dst, "SELECT count(*) FROM pg_index WHERE indisprimary"
                + " AND indrelid IN ('dw.orders_eu'::regclass, 'dw.orders_us'::regclass)")).isEqualTo(2);
        assertThat(h.count(dst, "SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = 'dw' AND table_name = 'orders'")).isZero();
        change(h);
        h.runOk(mapping);
        assertRouted(h);
        assertThat(h.rows(dst, "SELECT status FROM dw.orders_eu WHERE id IN (12, 61) ORDER BY id"))
                .containsExactly("PAID", "LATE");
    }

    /**
     * Mirroring compares the source's keys with the destination's: a process_dict that moved every key made the
     * first run write rows 1001..1060 and then delete them all (their keys are not at the source), and succeed.
     */
    @Test
    void mirroringRefusesAProcessDictThatChangesThePrimaryKey() {
        PipelineHarness h = world();
        Path mapping = h.mapping("shop", TABLE.replace("mode: syncing", "mode: mirroring")
                + "    process_dict: io.caravan.it.ShiftKey\n");
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("FAILED shop.orders: process_dict io.caravan.it.ShiftKey changed the"
                + " primary key id to 1001 in the record with id=1; mirroring compares keys as the source holds them,"
                + " so every row written under another key would be deleted: leave id as it is, or use syncing");
        h.mapping("shop", TABLE.replace("mode: syncing", "mode: mirroring") + "    process_dict: io.caravan.it.Upper\n");
        h.runOk(mapping);
        h.source("DELETE FROM orders WHERE id IN (5, 6)");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(processed(h, "")).hasSize(57);
    }

    @Test
    void aThrowingProcessorIsNamedWithTheRecordsKey() {
        PipelineHarness h = world();
        Path processDict = h.mapping("shop", TABLE + "    process_dict: io.caravan.it.Boom\n");
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(processDict));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("FAILED shop.orders: process_dict io.caravan.it.Boom failed on the"
                + " record with id=7: no region for 7");
        Path getTableName = h.mapping("shop", TABLE + "    get_table_name: io.caravan.it.Boom\n");
        r = h.caravan(PipelineHarness.runArgs(getTableName));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("FAILED shop.orders: get_table_name io.caravan.it.Boom failed on the"
                + " record with id=7: no region for 7");
    }

    private static void assertRouted(PipelineHarness h) {
        String dst = h.destinationDb(0);
        assertThat(h.tableRows(dst, "dw.orders_eu", COLUMNS, "id")).isEqualTo(processed(h, " AND region = 'eu'"));
        assertThat(h.tableRows(dst, "dw.orders_us", COLUMNS, "id")).isEqualTo(processed(h, " AND region = 'us'"));
    }
}
