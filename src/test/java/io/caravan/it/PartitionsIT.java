package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code partition_col} with {@code partition_col_format: datetime}: the destination table is range-partitioned by
 * month, one partition per month present plus {@code <table>_default}; a row whose partition value changes moves,
 * and stays once at the destination.
 */
class PartitionsIT {

    private static final String EVENTS = "CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL,"
            + " note text, updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, created_at, note, updated_at";
    private static final String PARTITIONS = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = 'dw.events'::regclass ORDER BY 1";
    /** Rows not in the partition named after their created_at month (UTC). */
    private static final String MISPLACED = "SELECT count(*) FROM dw.events"
            + " WHERE tableoid::regclass::text <> 'dw.events_p' || to_char(created_at AT TIME ZONE 'UTC', 'YYYY_MM')";

    @TempDir
    Path dir;

    @Test
    void monthlyPartitionsHoldEachRowOnceAndMovedRowsMove() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(EVENTS, "INSERT INTO events SELECT g,"
                + " timestamptz '2024-05-10 12:00:00+00' + (g % 3) * interval '1 month' + g * interval '1 minute',"
                + " 'n' || g, now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 30) g");
        Path mapping = h.mapping("shop", "  - table_name: events\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 4\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    partition_col: created_at\n    partition_col_format: datetime\n");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.rows(dst, "SELECT relkind FROM pg_class WHERE oid = 'dw.events'::regclass")).containsExactly("p");
        assertThat(h.rows(dst, PARTITIONS))
                .containsExactly("events_default", "events_p2024_05", "events_p2024_06", "events_p2024_07");
        assertThat(h.count(dst, MISPLACED)).isZero();
        assertThat(h.count(dst, "SELECT count(*) FROM dw.events_p2024_06")).isEqualTo(10);
        assertThat(h.tableRows(dst, "dw.events", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "events", COLUMNS, "id"));

        // id 3 moves from July to August (a new month), id 4 from June to May (an existing one)
        h.source("UPDATE events SET created_at = '2024-08-02 08:00:00+00', updated_at = now() WHERE id = 3",
                "UPDATE events SET created_at = '2024-05-20 08:00:00+00', note = 'moved', updated_at = now() WHERE id = 4");
        h.runOk(mapping);
        assertThat(h.rows(dst, PARTITIONS)).containsExactly("events_default", "events_p2024_05", "events_p2024_06",
                "events_p2024_07", "events_p2024_08");
        assertThat(h.rows(dst, "SELECT tableoid::regclass::text FROM dw.events WHERE id IN (3, 4) ORDER BY id"))
                .containsExactly("dw.events_p2024_08", "dw.events_p2024_05");
        assertThat(h.count(dst, MISPLACED)).isZero();
        assertThat(h.count(dst, "SELECT count(*) FROM dw.events")).isEqualTo(30);
        assertThat(h.tableRows(dst, "dw.events", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "events", COLUMNS, "id"));
    }

    @Test
    void rowsWithoutAPartitionValueLandInTheDefaultPartition() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz, note text,"
                        + " updated_at timestamptz NOT NULL)",
                "INSERT INTO events VALUES (1, '2024-05-10 12:00:00+00', 'a', now() - interval '1 hour'),"
                        + " (2, NULL, 'b', now() - interval '1 hour')");
        Path mapping = h.mapping("shop", "  - table_name: events\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    partition_col: created_at\n    partition_col_format: datetime\n");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.rows(dst, "SELECT id || ' ' || tableoid::regclass::text FROM dw.events ORDER BY id"))
                .containsExactly("1 dw.events_p2024_05", "2 dw.events_default");
        assertThat(h.tableRows(dst, "dw.events", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "events", COLUMNS, "id"));
    }
}
