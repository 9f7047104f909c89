package io.caravan.state;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run store contract on a real PostgreSQL ({@link PgServer}): a new database per test, dropped after. */
class PostgresRunStoreIT extends JdbcRunStoreContract {

    private final PgServer pg = PgServer.get();
    private String database;

    @BeforeEach
    void createDatabase() {
        database = pg.createDatabase("runs");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Override
    String url() {
        return pg.jdbcUrl(database);
    }

    @Override
    String user() {
        return pg.user();
    }

    @Override
    String password() {
        return pg.password();
    }

    @Test
    void anUnreachableStoreNamesItsUrlButNotThePassword() {
        assertThatThrownBy(() -> JdbcRunStore.open("jdbc:postgresql://127.0.0.1:1/x?password=hunter2", "u", "pw"))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("cannot open the run store jdbc:postgresql://127.0.0.1:1/x?password=******")
                .hasMessageNotContaining("hunter2");
    }
}
