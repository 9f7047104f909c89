package io.caravan.state;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run store contract on a JDBC database, plus what Flyway owes it: the {@code db/runs} migrations run once, in
 * their own history table, next to the cursor store's in the same database.
 */
abstract class JdbcRunStoreContract extends RunStoreContract {

    /** @return the JDBC URL of this test's (empty) database */
    abstract String url();

    /** @return the user; empty when the URL names it */
    String user() {
        return "";
    }

    /** @return the password; empty for none or when the URL names it */
    String password() {
        return "";
    }

    @Override
    RunStore open() {
        return JdbcRunStore.open(url(), user(), password());
    }

    /** @return {@code name} quoted as Flyway created it (exactly, lower case) */
    String quoted(String name) {
        return "\"" + name + "\"";
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (!user().isEmpty()) {
            p.setProperty("user", user());
        }
        if (!password().isEmpty()) {
            p.setProperty("password", password());
        }
        return DriverManager.getConnection(url(), p);
    }

    @Test
    void migrationsRunOnceInTheirOwnHistoryNextToTheCursorStore() throws SQLException {
        try (CursorStore cursors = JdbcCursorStore.open(url(), user(), password())) {
            cursors.commit("shop", "orders", Cursor.incremental("2026-05-01 10:00:00+00", "41"));
        }
        try (RunStore store = open()) {
            store.save(running("r1", "shop", "orders", T0));
        }
        try (RunStore store = open(); CursorStore cursors = JdbcCursorStore.open(url(), user(), password())) {
            assertThat(store.find("r1")).isPresent();
            assertThat(cursors.load("shop", "orders").cursor()).isEqualTo(
                    Cursor.incremental("2026-05-01 10:00:00+00", "41"));
        }
        // the cursor store's tables were there first: the run store's history starts with a baseline at 0
        assertThat(history("caravan_runs_history")).containsExactly("0 true", "1 true");
        assertThat(history("caravan_state_history")).containsExactly("1 true");
    }

    /** @return {@code version success} of every applied migration and baseline, in order (no schema markers) */
    private List<String> history(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + quoted("version") + ", " + quoted("success")
                     + " FROM " + quoted(table) + " WHERE " + quoted("version") + " IS NOT NULL ORDER BY "
                     + quoted("installed_rank"))) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getBoolean(2));
            }
        }
        return rows;
    }
}
