package io.caravan.destination.jdbc;

import io.caravan.dialect.mysql.MariaDbDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;
import org.junit.jupiter.api.AfterEach;
import io.caravan.destination.DestinationException;
import io.caravan.it.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC destination contract on a real MariaDB server: {@code CARAVAN_TEST_MARIADB_URL} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}; {@code .ci/run} starts the machine's server when it does not
 * answer). Each test writes to a new, randomly named database (the destination's {@code schema}, which the
 * destination creates) and drops it.
 */
class MariaDbDestinationIT extends JdbcDestinationContract {

    /** The test server's URL, with user (and password) as URL parameters. */
    static final String URL = System.getenv().getOrDefault("CARAVAN_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    String database;

    @BeforeEach
    void pickDatabase() {
        database = "caravan_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, new Properties()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + database + "`");
        }
    }

    @Override
    DestinationSpec spec() {
        return new DestinationSpec("dw", "mariadb", URL, null, "", Secret.NONE, database);
    }

    @Override
    JdbcDialect dialect() {
        return MariaDbDialect.MARIADB;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, new Properties());
    }

    @Test
    void aFailedBatchNamesJobTableDestinationAndSqlState() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + database + "`");
            s.execute("CREATE TABLE `" + database + "`.orders (id BIGINT PRIMARY KEY, status VARCHAR(2) NOT NULL,"
                    + " amount DECIMAL(12,2), updated_at DATETIME(6) NOT NULL)");
        }
        JdbcRuns runs = runs(h);
        assertThatThrownBy(() -> runs.run(h.dir().resolve("shop.yaml"), 0)).isInstanceOf(DestinationException.class)
                .hasMessageStartingWith("job shop, table orders, destination dw (mariadb): ")
                .hasMessageContaining("Data too long for column")
                .hasMessageContaining("[SQLState 22001]");
        try (Connection c = connect(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM `" + database + "`.orders")) {
            rs.next();
            org.assertj.core.api.Assertions.assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void aSecondMirrorOfOneTargetFailsAtOnce() throws SQLException {
        PipelineHarness h = PipelineHarness.orders(dir, "mirroring", "    bookmark: updated_at\n");
        JdbcRuns runs = runs(h);
        try (Connection other = connect(); Statement s = other.createStatement()) {
            s.execute("SELECT GET_LOCK('" + JdbcDestination.targetLockName(database, "orders") + "', 0)");
            assertThatThrownBy(() -> runs.run(h.dir().resolve("shop.yaml"), 0))
                    .isInstanceOf(DestinationException.class)
                    .hasMessage("job shop, table orders, destination dw (mariadb): another run is writing to "
                            + database + ".orders; wait for it or stop it");
        }
        runs.run(h.dir().resolve("shop.yaml"), 0);
        org.assertj.core.api.Assertions.assertThat(count("SELECT count(*) FROM " + target("orders"))).isEqualTo(250);
    }
}
