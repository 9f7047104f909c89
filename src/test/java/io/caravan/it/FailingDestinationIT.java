package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination that fails makes the run exit 1 and name the job, table and destination; the cursor does not move
 * past what every destination committed, so a rerun after the fix leaves every destination equal to the source,
 * without duplicates (DESIGN §3, bookmark rules).
 */
class FailingDestinationIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " amount numeric(12,2), updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, status, amount, updated_at";
    private static final String TABLES = "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
            + "    batch_size: 40\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n";

    @TempDir
    Path dir;

    private PipelineHarness world() {
        PipelineHarness h = new PipelineHarness(dir, 2);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new', g * 1.5, now() - interval '1 day' + g * interval '1 second'"
                + " FROM generate_series(1, 250) g");
        return h;
    }

    private static Path mapping(PipelineHarness h, String b) {
        return h.mappingWith("shop", "destination:\n" + h.destinationYaml("a", 0, "dw") + b, TABLES);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long rowsRead(PipelineHarness.Result r, String destination) {
        Matcher m = Pattern.compile("shop\\s+orders\\s+" + destination + "\\s+\\w+\\s+([\\d,]+)\\s").matcher(r.out());
        assertThat(m.find()).as("summary line in %s", r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static void assertEqualToSourceWithoutDuplicates(PipelineHarness h, String aTable, String bTable) {
        List<String> source = h.tableRows(h.sourceDb(), "orders", COLUMNS, "id");
        assertThat(h.tableRows(h.destinationDb(0), aTable, COLUMNS, "id")).isEqualTo(source);
        assertThat(h.tableRows(h.destinationDb(1), bTable, COLUMNS, "id")).isEqualTo(source);
        for (int i = 0; i < 2; i++) {
            String table = i == 0 ? aTable : bTable;
            assertThat(h.count(h.destinationDb(i), "SELECT count(*) FROM " + table)).isEqualTo(source.size());
            assertThat(h.rows(h.destinationDb(i), "SELECT a.attname FROM pg_index x JOIN pg_attribute a"
                    + " ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey)"
                    + " WHERE x.indrelid = '" + table + "'::regclass AND x.indisprimary")).containsExactly("id");
        }
    }

    private void failsThenRecovers(PipelineHarness h, String brokenB) {
        Path mapping = mapping(h, brokenB);
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isEqualTo(1);
        String printed = failed.out() + failed.err();
        assertThat(printed).contains("FAILED shop.orders: job shop, table orders, destination b: ");
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isIn(0L, 40L);

        mapping(h, h.destinationYaml("b", 1, "dw"));
        PipelineHarness.Result fixed = h.runOk(mapping);
        assertThat(rowsRead(fixed, "a")).as("the cursor did not move past the failed batch").isEqualTo(250);
        assertEqualToSourceWithoutDuplicates(h, "dw.orders", "dw.orders");
    }

    @Test
    void unreachableDestinationFailsTheRunAndKeepsTheCursor() {
        PipelineHarness h = world();
        failsThenRecovers(h, "  b:\n    destination_type: pgsql\n    url: 127.0.0.1:" + closedPort()
                + "\n    db_name: nowhere\n    username: nobody\n    schema: dw\n");
    }

    @Test
    void missingDestinationDatabaseFailsTheRunAndKeepsTheCursor() {
        PipelineHarness h = world();
        String good = h.destinationYaml("b", 1, "dw");
        failsThenRecovers(h, good.replace(h.destinationDb(1), "no_such_db_" + h.destinationDb(1)));
    }

    @Test
    void unreachableDestinationInTheIncrementalPhaseKeepsTheCursor() {
        PipelineHarness h = world();
        Path mapping = mapping(h, h.destinationYaml("b", 1, "dw"));
        h.runOk(mapping);
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (10, 200)",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
        mapping(h, "  b:\n    destination_type: pgsql\n    url: 127.0.0.1:" + closedPort()
                + "\n    db_name: nowhere\n    username: nobody\n    schema: dw\n");
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("job shop, table orders, destination b");
        mapping(h, h.destinationYaml("b", 1, "dw"));
        assertThat(rowsRead(h.runOk(mapping), "b")).isEqualTo(3);
        assertEqualToSourceWithoutDuplicates(h, "dw.orders", "dw.orders");
    }

    @Test
    void destinationFailingMidRunResumesAfterTheLastBatchEveryDestinationCommitted() {
        PipelineHarness h = world();
        h.execute(h.destinationDb(1), "CREATE SCHEMA dw", "CREATE TABLE dw.orders (id bigint PRIMARY KEY,"
                + " status text NOT NULL, amount numeric(12,2), updated_at timestamptz NOT NULL,"
                + " CONSTRAINT refuse_130 CHECK (id <> 130))");
        Path mapping = mapping(h, h.destinationYaml("b", 1, "dw"));
        // batches of 40: id 130 is in batch 4 (121..160), which a commits and b refuses
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("job shop, table orders, destination b")
                .contains("refuse_130");
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(160);
        assertThat(h.count(h.destinationDb(1), "SELECT count(*) FROM dw.orders")).isEqualTo(120);

        h.execute(h.destinationDb(1), "ALTER TABLE dw.orders DROP CONSTRAINT refuse_130");
        PipelineHarness.Result resumed = h.runOk(mapping);
        assertThat(rowsRead(resumed, "a")).isEqualTo(130);
        assertEqualToSourceWithoutDuplicates(h, "dw.orders", "dw.orders");
    }
}
