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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runs writing one destination table at once (two {@code caravan run}, serve mode starting a run while the last
 * still goes, or two jobs writing one target) would share the snapshot table: two dumps would publish each other's
 * rows. A run holds advisory locks on the target (and, syncing or logging, on its job and table) while its connection
 * is open; a second run fails at once, and a run that ends, failed or not, leaves neither a lock nor a transaction
 * behind.
 */
class RunLockIT {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final String COLUMNS = "id, status, amount, updated_at";

    @TempDir
    Path dir;

    private PipelineHarness world(String mode, String extra) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, amount numeric(12,2),"
                + " updated_at timestamptz NOT NULL)", "INSERT INTO orders SELECT g, 'new', g * 1.5,"
                + " now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 250) g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: " + mode + "\n    batch_size: 40\n"
                + "    primary_key: id\n    primary_key_datatype: int\n" + extra);
        return h;
    }

    private static boolean tryLock(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.tryAdvisoryLock())) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Asserts that no session of Caravan is left on the destination, so neither a transaction nor a lock: within a
     * few seconds, as a server process ends a moment after its client closed the connection.
     */
    private static void assertNothingLeftOn(PipelineHarness h, String db) throws InterruptedException {
        String sessions = "SELECT pid || ' ' || coalesce(state, '') FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name = 'caravan'";
        String locks = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && (!h.rows(db, sessions).isEmpty() || h.count(db, locks) > 0)) {
            Thread.sleep(50);
        }
        assertThat(h.rows(db, sessions)).isEmpty();
        assertThat(h.count(db, locks)).isZero();
    }

    @Test
    void secondRunOfATableFailsAtOnceWhileAnotherHoldsItsLock() throws SQLException, InterruptedException {
        PipelineHarness h = world("dumping", "");
        String dst = h.destinationDb(0);
        Path mapping = h.dir().resolve("shop.yaml");
        try (Connection other = PgServer.get().connect(dst)) {
            assertThat(tryLock(other, SQL.targetLockKey(dst, "dw", "orders"))).isTrue();
            PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out() + r.err()).contains("another run is writing to destination warehouse (dw.orders);"
                    + " wait for it or stop it");
            assertThat(h.count(dst, "SELECT count(*) FROM pg_namespace WHERE nspname = 'dw'")).isZero();
        }
        h.runOk(mapping);
        assertThat(h.rows(dst, "SELECT " + COLUMNS + " FROM dw.orders ORDER BY id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
        assertNothingLeftOn(h, dst);
    }

    @Test
    void failedRunLeavesNoTransactionAndNoLockBehind() throws SQLException, InterruptedException {
        PipelineHarness h = world("syncing", "    bookmark: updated_at\n");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw", "CREATE TABLE dw.orders (id bigint PRIMARY KEY, status text NOT NULL,"
                + " amount numeric(12,2), updated_at timestamptz NOT NULL, CONSTRAINT refuse_130 CHECK (id <> 130))");
        Path mapping = h.dir().resolve("shop.yaml");
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("refuse_130");
        assertNothingLeftOn(h, dst);
        try (Connection other = PgServer.get().connect(dst)) {
            assertThat(tryLock(other, SQL.runLockKey("shop", "orders", "dw", "orders"))).isTrue();
            assertThat(tryLock(other, SQL.targetLockKey(dst, "dw", "orders"))).isTrue();
        }
        h.execute(dst, "ALTER TABLE dw.orders DROP CONSTRAINT refuse_130");
        h.runOk(mapping);
        assertThat(h.rows(dst, "SELECT " + COLUMNS + " FROM dw.orders ORDER BY id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
        assertNothingLeftOn(h, dst);
    }
}
