package io.caravan.it;

import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two jobs writing one destination table (two shards of one source table, each with a mapping of its own): a
 * mirroring run deleted the other job's rows, whose keys it never read, and two dumps shared one snapshot table.
 * The target's lock no longer depends on the job, mirroring and dumping refuse a target another job writes, and
 * syncing shards share theirs, even running together.
 */
class SharedTargetIT {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final String COLUMNS = "id, status, updated_at";
    private static final String COMMENT = "SELECT obj_description('dw.orders'::regclass, 'pg_class')";

    @TempDir
    Path dir;

    /** @return a source with shards {@code east.orders} (ids 1..50) and {@code west.orders} (ids 51..100) */
    private PipelineHarness world() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        for (String shard : List.of("east", "west")) {
            int from = shard.equals("east") ? 1 : 51;
            h.source("CREATE SCHEMA " + shard, "CREATE TABLE " + shard + ".orders (id bigint PRIMARY KEY,"
                    + " status text NOT NULL, updated_at timestamptz NOT NULL)", "INSERT INTO " + shard + ".orders"
                    + " SELECT g, '" + shard + "', now() - interval '1 day' + g * interval '1 second'"
                    + " FROM generate_series(" + from + ", " + (from + 49) + ") g");
        }
        return h;
    }

    private static Path shard(PipelineHarness h, String shard, String mode) {
        return h.mapping(shard, "  - table_name: " + shard + ".orders\n    cron: self-managed\n    mode: " + mode
                + "\n    batch_size: 20\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
    }

    private static List<String> sourceRows(PipelineHarness h, String... shards) {
        List<String> rows = new ArrayList<>();
        for (String shard : shards) {
            rows.addAll(h.tableRows(h.sourceDb(), shard + ".orders", COLUMNS, "id"));
        }
        return rows;
    }

    private static String refused(String job, String mode) {
        return "FAILED " + job + "." + job + ".orders: job " + job + ", table " + job + ".orders, destination"
                + " warehouse: target table dw.orders is written by job east table east.orders (" + mode + ");"
                + " mirroring and dumping need a target of their own: set another schema";
    }

    @Test
    void mirroringShardsDoNotDeleteEachOthersRows() {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (id bigint PRIMARY KEY, status text NOT NULL,"
                + " updated_at timestamptz NOT NULL)");
        Path east = shard(h, "east", "mirroring");
        h.runOk(east);
        assertThat(h.rows(dst, COMMENT)).containsExactly("caravan: job=east table=east.orders mode=mirroring");

        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(shard(h, "west", "mirroring")));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(refused("west", "mirroring"));
        r = h.caravan(PipelineHarness.runArgs(shard(h, "west", "syncing")));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(refused("west", "mirroring"));

        h.source("DELETE FROM east.orders WHERE id = 7");
        h.runOk(east);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(sourceRows(h, "east")).hasSize(49);
        assertThat(h.rows(dst, COMMENT)).containsExactly("caravan: job=east table=east.orders mode=mirroring");
    }

    @Test
    void dumpsOfTwoJobsDoNotShareATarget() {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        h.runOk(shard(h, "east", "dumping"));
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(shard(h, "west", "dumping")));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(refused("west", "dumping"));
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(sourceRows(h, "east"));
        assertThat(h.rows(dst, COMMENT)).containsExactly("caravan: job=east table=east.orders mode=dumping");
    }

    @Test
    void syncingShardsShareATargetEvenRunningTogether() {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        Path east = shard(h, "east", "syncing");
        Path west = shard(h, "west", "syncing");
        h.runOk(east, west);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(sourceRows(h, "east", "west"));
        h.source("UPDATE east.orders SET status = 'paid', updated_at = now() WHERE id = 3",
                "UPDATE west.orders SET status = 'paid', updated_at = now() WHERE id = 53",
                "INSERT INTO west.orders VALUES (101, 'late', now())");
        h.runOk(east, west);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(sourceRows(h, "east", "west"))
                .hasSize(101);
        assertThat(h.rows(dst, COMMENT).get(0).split("\n")).containsExactlyInAnyOrder(
                "caravan: job=east table=east.orders mode=syncing", "caravan: job=west table=west.orders mode=syncing");

        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(shard(h, "east", "mirroring")));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED east.east.orders: job east, table east.orders, destination warehouse:"
                + " target table dw.orders is written by job west table west.orders (syncing); mirroring and dumping"
                + " need a target of their own: set another schema");
    }

    /** A syncing run of another job holds the target's lock shared: a mirroring run fails at once. */
    @Test
    void mirroringFailsAtOnceWhileAnotherJobWritesItsTarget() throws SQLException {
        PipelineHarness h = world();
        String dst = h.destinationDb(0);
        Path east = shard(h, "east", "mirroring");
        try (Connection other = PgServer.get().connect(dst);
             PreparedStatement ps = other.prepareStatement(SQL.tryAdvisoryLockShared())) {
            ps.setString(1, SQL.targetLockKey(dst, "dw", "orders"));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
            PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(east));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).contains("another run is writing to destination warehouse (dw.orders);"
                    + " wait for it or stop it");
        }
        h.runOk(east);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(sourceRows(h, "east"));
    }
}
