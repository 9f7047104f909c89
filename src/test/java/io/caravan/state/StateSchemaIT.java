package io.caravan.state;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several replicas of {@code caravan serve} start at once on one state database: each opens the cursor store and the
 * run store, so Flyway runs in all of them together. Flyway alone lets them race (one creates the history table, the
 * others find it empty and refuse to baseline it, for good: a ClusterIT run on CI saw the holder fail every run).
 * {@link StateSchema} makes them take turns. Real servers: the test PostgreSQL and MariaDB
 * ({@code CARAVAN_TEST_MARIADB_URL}, default {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}).
 */
class StateSchemaIT {

    private static final int REPLICAS = 6;
    private static final String MARIADB = System.getenv().getOrDefault("CARAVAN_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    @Test
    void replicasOpeningOnePostgresStateDatabaseAtOnceAllSucceed() throws Exception {
        PgServer pg = PgServer.get();
        for (int round = 0; round < 3; round++) {
            String url = pg.jdbcUrl(pg.createDatabase("state_race"));
            openAllAtOnce(url, pg.user(), pg.password());
            assertThat(historyRows(url, pg.user(), pg.password(), "caravan_state_history")).isPositive();
            assertThat(historyRows(url, pg.user(), pg.password(), "caravan_runs_history")).isPositive();
        }
    }

    @Test
    void replicasOpeningOneMariaDbStateDatabaseAtOnceAllSucceed() throws Exception {
        for (int round = 0; round < 3; round++) {
            String database = "caravan_state_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            try (Connection c = DriverManager.getConnection(MARIADB, new Properties());
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE `" + database + "`");
            }
            String url = MARIADB.replaceFirst("^(jdbc:[a-z]+://[^/?]+)/[^?]*", "$1/" + database);
            try {
                openAllAtOnce(url, "", "");
                assertThat(historyRows(url, "", "", "caravan_state_history")).isPositive();
                assertThat(historyRows(url, "", "", "caravan_runs_history")).isPositive();
            } finally {
                try (Connection c = DriverManager.getConnection(MARIADB, new Properties());
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS `" + database + "`");
                }
            }
        }
    }

    /** Opens a cursor store and a run store from {@value #REPLICAS} threads released together. */
    private static void openAllAtOnce(String url, String user, String password) throws Exception {
        CyclicBarrier start = new CyclicBarrier(REPLICAS);
        ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                boolean cursorFirst = i % 2 == 0;
                opened.add(pool.submit(() -> {
                    start.await();
                    if (cursorFirst) {
                        JdbcCursorStore.open(url, user, password).close();
                        JdbcRunStore.open(url, user, password).close();
                    } else {
                        JdbcRunStore.open(url, user, password).close();
                        JdbcCursorStore.open(url, user, password).close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long historyRows(String url, String user, String password, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE success")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
