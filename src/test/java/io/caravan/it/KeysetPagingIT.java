package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages use keyset pagination on (bookmark, primary key): rows that share a bookmark value across a page boundary
 * are all read, none twice, also when a run resumes from a cursor inside such rows (DESIGN §3, bookmark rules).
 */
class KeysetPagingIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " amount numeric(12,2), updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, status, amount, updated_at";
    /** The destination table as caravan would create it, refusing one id so that a run fails at a known batch. */
    private static final String REFUSING = "CREATE SCHEMA dw; CREATE TABLE dw.orders (id bigint PRIMARY KEY,"
            + " status text NOT NULL, amount numeric(12,2), updated_at timestamptz NOT NULL,"
            + " CONSTRAINT refuse_one CHECK (id <> %d))";

    @TempDir
    Path dir;

    private PipelineHarness world(int initialRows, String sameStamp) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new', g * 1.5, " + sameStamp
                + " FROM generate_series(1, " + initialRows + ") g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n    batch_size: 7\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
        return h;
    }

    private static void assertEqualToSource(PipelineHarness h, int rows) {
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"))
                .hasSize(rows);
        assertThat(h.count(h.destinationDb(0), "SELECT count(DISTINCT id) FROM dw.orders")).isEqualTo(rows);
    }

    /** @return the "read" column of the summary line of orders */
    private static long rowsRead(PipelineHarness.Result r) {
        Matcher m = Pattern.compile("shop\\s+orders\\s+warehouse\\s+\\w+\\s+([\\d,]+)\\s").matcher(r.out());
        assertThat(m.find()).as("summary line in %s", r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** Inserts ids from..to at the source, all with one updated_at value (this transaction's now()). */
    private static void insertSharingOneStamp(PipelineHarness h, int from, int to) {
        h.source("INSERT INTO orders SELECT g, 'late', g * 0.5, now() FROM generate_series(" + from + ", " + to + ") g");
        assertThat(h.count(h.sourceDb(), "SELECT count(DISTINCT updated_at) FROM orders WHERE id >= " + from))
                .isEqualTo(1);
    }

    @Test
    void keysetPagingKeepsRowsSharingTheLastBookmarkValue() {
        PipelineHarness h = world(20, "now() - interval '1 day' + g * interval '1 second'");
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        assertEqualToSource(h, 20);
        insertSharingOneStamp(h, 101, 600);
        PipelineHarness.Result r = h.runOk(mapping);
        assertThat(rowsRead(r)).isEqualTo(500);
        assertEqualToSource(h, 520);
        PipelineHarness.Result again = h.runOk(mapping);
        assertThat(rowsRead(again)).isZero();
        assertEqualToSource(h, 520);
    }

    @Test
    void keysetPagingResumesInsideRowsSharingOneBookmarkValue() {
        PipelineHarness h = world(20, "now() - interval '1 day' + g * interval '1 second'");
        h.execute(h.destinationDb(0), REFUSING.formatted(350));
        Path mapping = dir.resolve("shop.yaml");
        h.runOk(mapping);
        insertSharingOneStamp(h, 101, 600);
        // id 350 is row 250 of the 500: batches 1..35 (245 rows) commit, batch 36 fails
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(20 + 245);
        h.execute(h.destinationDb(0), "ALTER TABLE dw.orders DROP CONSTRAINT refuse_one");
        PipelineHarness.Result resumed = h.runOk(mapping);
        assertThat(rowsRead(resumed)).isEqualTo(500 - 245);
        assertEqualToSource(h, 520);
    }

    @Test
    void initialLoadInBatchesOfSevenReadsEveryRowOnce() {
        PipelineHarness h = world(300, "timestamptz '2024-05-01 10:00:00+00'");
        PipelineHarness.Result r = h.runOk(dir.resolve("shop.yaml"));
        assertThat(rowsRead(r)).isEqualTo(300);
        assertThat(r.out()).containsPattern("shop\\s+orders\\s+warehouse\\s+succeeded\\s+300\\s+300\\s");
        assertEqualToSource(h, 300);
    }

    @Test
    void initialLoadResumesAfterTheLastCommittedBatch() {
        PipelineHarness h = world(300, "timestamptz '2024-05-01 10:00:00+00'");
        h.execute(h.destinationDb(0), REFUSING.formatted(100));
        Path mapping = dir.resolve("shop.yaml");
        // id 100 is in batch 15 (rows 99..105): batches 1..14 (98 rows) commit
        assertThat(h.caravan(PipelineHarness.runArgs(mapping)).exitCode()).isEqualTo(1);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(98);
        h.execute(h.destinationDb(0), "ALTER TABLE dw.orders DROP CONSTRAINT refuse_one");
        PipelineHarness.Result resumed = h.runOk(mapping);
        assertThat(rowsRead(resumed)).isEqualTo(300 - 98);
        assertEqualToSource(h, 300);
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (1, 300)");
        assertThat(rowsRead(h.runOk(mapping))).isEqualTo(2);
        assertEqualToSource(h, 300);
    }
}
