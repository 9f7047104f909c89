package io.caravan.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run store contract on a real MariaDB server: {@code CARAVAN_TEST_MARIADB_URL} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}), in a new, randomly named database per test, dropped after.
 */
class MariaDbRunStoreIT extends JdbcRunStoreContract {

    private static final String SERVER = System.getenv().getOrDefault("CARAVAN_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root");

    private String database;

    @BeforeEach
    void createDatabase() throws SQLException {
        database = "caravan_runs_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(SERVER, new Properties()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE `" + database + "`");
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, new Properties()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + database + "`");
        }
    }

    @Override
    String quoted(String name) {
        return "`" + name + "`";
    }

    @Override
    String url() {
        return SERVER.replaceFirst("^(jdbc:[a-z]+://[^/?]+)/[^?]*", "$1/" + database);
    }
}
