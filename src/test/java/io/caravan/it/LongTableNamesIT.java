package io.caravan.it;

import io.caravan.dialect.postgres.PostgresDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL cuts names at 63 bytes, so for a table whose name has 63 characters {@code <t>__caravan_snapshot},
 * {@code <t>__caravan_stage}, {@code <t>_pYYYY_MM} and {@code <t>_default} would all be {@code <t>}: the dump's
 * {@code DROP TABLE IF EXISTS <t>__caravan_snapshot} dropped the target itself, with every earlier snapshot. Derived
 * names are shortened and tagged with a hash of the table name instead, the same in every run.
 */
class LongTableNamesIT {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    /** 63 characters, the longest name PostgreSQL keeps whole. */
    private static final String T = "orders_kept_for_the_finance_team_with_a_name_of_sixty_three_chr";
    private static final String COLUMNS = "id, status, amount, updated_at";

    @TempDir
    Path dir;

    @Test
    void dumpOfA63CharacterTableKeepsEarlierSnapshotsAndAddsItsOwn() {
        assertThat(T.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE " + T + " (id bigint PRIMARY KEY, status text NOT NULL, amount numeric(12,2),"
                + " updated_at timestamptz NOT NULL)", "INSERT INTO " + T + " SELECT g, 'new', g * 1.5,"
                + " now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 250) g");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw." + T + " (id bigint NOT NULL, status text NOT NULL,"
                + " amount numeric(12,2), updated_at timestamptz NOT NULL, migration_snapshot_date timestamptz NOT NULL,"
                + " PRIMARY KEY (id, migration_snapshot_date))", "INSERT INTO dw." + T + " SELECT g, 'old', g,"
                + " '2024-01-01 00:00:00+00', '2024-01-02 00:00:00+00' FROM generate_series(1, 3) g");
        Path mapping = h.mapping("shop", "  - table_name: " + T + "\n    cron: self-managed\n    mode: dumping\n"
                + "    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");

        h.runOk(mapping);
        h.source("UPDATE " + T + " SET status = 'paid' WHERE id = 7");
        h.runOk(mapping);

        assertThat(h.rows(dst, "SELECT migration_snapshot_date < '2025-01-01', count(*) FROM dw." + T
                + " GROUP BY migration_snapshot_date ORDER BY migration_snapshot_date"))
                .containsExactly("t|3", "f|250", "f|250");
        String latest = "(SELECT max(migration_snapshot_date) FROM dw." + T + ")";
        assertThat(h.rows(dst, "SELECT " + COLUMNS + " FROM dw." + T + " WHERE migration_snapshot_date = " + latest
                + " ORDER BY id")).isEqualTo(h.tableRows(h.sourceDb(), T, COLUMNS, "id"));
        assertThat(h.rows(dst, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'dw'"))
                .containsExactly(T);
    }

    @Test
    void monthlyPartitionsOfA63CharacterTableGetNamesOfTheirOwn() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE " + T + " (id bigint PRIMARY KEY, created_at timestamptz, note text,"
                + " updated_at timestamptz NOT NULL)", "INSERT INTO " + T + " SELECT g,"
                + " CASE WHEN g = 30 THEN NULL ELSE timestamptz '2024-05-10 12:00:00+00' + (g % 2) * interval '1 month'"
                + " END, 'n' || g, now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 30) g");
        Path mapping = h.mapping("shop", "  - table_name: " + T + "\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 4\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    partition_col: created_at\n    partition_col_format: datetime\n");
        h.runOk(mapping);
        h.source("UPDATE " + T + " SET created_at = '2024-05-20 08:00:00+00', updated_at = now() WHERE id = 3");
        h.runOk(mapping);

        String dst = h.destinationDb(0);
        List<String> expected = List.of(SQL.derivedName(T, "_default"), SQL.derivedName(T, "_p2024_05"),
                SQL.derivedName(T, "_p2024_06"));
        assertThat(expected).doesNotContain(T).allSatisfy(n ->
                assertThat(n.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63));
        assertThat(h.rows(dst, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'dw." + T + "'::regclass ORDER BY 1"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(h.rows(dst, "SELECT id || ' ' || tableoid::regclass::text FROM dw." + T
                + " WHERE id IN (3, 4, 30) ORDER BY id")).containsExactly("3 dw." + expected.get(1),
                "4 dw." + expected.get(1), "30 dw." + expected.get(0));
        assertThat(h.tableRows(dst, "dw." + T, "id, created_at, note, updated_at", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), T, "id, created_at, note, updated_at", "id"));
    }
}
