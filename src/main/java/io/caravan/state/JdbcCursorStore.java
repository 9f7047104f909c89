package io.caravan.state;


import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * A {@link CursorStore} in any JDBC database whose schema Flyway keeps ({@code db/state} migrations): the embedded
 * default is an H2 file database under {@code .caravan/} in the working directory; a settings file may name any
 * JDBC URL ({@code encryption_store.url}) instead, e.g. a PostgreSQL shared by several machines.
 *
 * <p>The store holds one connection. An operation that fails on a connection that is no longer valid (the server
 * restarted, or H2's own shutdown hook closed the embedded database while a stopped run commits its last cursor) is
 * retried once on a new connection.
 */
public final class JdbcCursorStore implements CursorStore {

    private final String description;
    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    private JdbcCursorStore(String description, String url, String user, String password) throws SQLException {
        this.description = description;
        this.url = url;
        this.user = user;
        this.password = password;
        this.connection = connect();
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(true);
        return c;
    }

    /** One operation on the store's connection. */
    @FunctionalInterface
    private interface Operation<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code op}, once more on a new connection when it failed on one that is no longer valid. */
    private <T> T withConnection(Operation<T> op) throws SQLException {
        try {
            return op.run(connection);
        } catch (SQLException e) {
            boolean valid;
            try {
                valid = connection.isValid(2);
            } catch (SQLException ignored) {
                valid = false;
            }
            if (valid) {
                throw e;
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the old connection is gone already
            }
            try {
                connection = connect();
            } catch (SQLException again) {
                e.addSuppressed(again);
                throw e;
            }
            return op.run(connection);
        }
    }

    /**
     * Opens (and creates or migrates) the embedded store {@code <dir>/state} (H2 file database).
     *
     * @param dir directory for the store, usually {@code .caravan} in the working directory; created when absent
     * @return the store
     * @throws StateException when the store cannot be created or opened (another process holding it, disk full)
     */
    public static JdbcCursorStore openEmbedded(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StateException("cannot create the cursor store directory " + dir + ": " + e.getMessage(), e);
        }
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("state") + ";AUTO_SERVER=TRUE";
        return open(url, "sa", "");
    }

    /**
     * Opens (and creates or migrates) a store at a JDBC URL.
     *
     * @param url      JDBC URL; never null
     * @param user     user; may be empty
     * @param password password; may be empty
     * @return the store
     * @throws StateException naming the URL (never the password) when it cannot be reached or migrated
     */
    public static JdbcCursorStore open(String url, String user, String password) {
        String description = "cursor store " + url.replaceAll("password=[^&;]*", "password=******");
        try {
            Properties credentials = new Properties();
            if (user != null && !user.isEmpty()) {
                credentials.setProperty("user", user);
            }
            if (password != null && !password.isEmpty()) {
                credentials.setProperty("password", password);
            }
            StateSchema.migrate(url, credentials, "classpath:db/state", "caravan_state_history", Map.of());
            return new JdbcCursorStore(description, url, user, password);
        } catch (SQLException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new StateException("cannot open the " + description + ": " + root.getMessage(), e);
        }
    }

    @Override
    public synchronized TableState load(String job, String table) {
        String sql = "SELECT phase, bookmark_value, key_value, initial_ceiling, last_success_ceiling"
                + " FROM caravan_cursor WHERE job_name = ? AND table_name = ?";
        try {
            return withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, job);
                    ps.setString(2, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return TableState.EMPTY;
                        }
                        String phase = rs.getString(1);
                        Cursor cursor = phase == null ? null : new Cursor(Cursor.Phase.valueOf(phase),
                                rs.getString(2), rs.getString(3), rs.getString(4));
                        return new TableState(cursor, rs.getString(5));
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("read", job, table, e);
        }
    }

    @Override
    public synchronized void commit(String job, String table, Cursor cursor) {
        upsert(job, table, "phase = ?, bookmark_value = ?, key_value = ?, initial_ceiling = ?",
                cursor.phase().name(), cursor.bookmarkValue(), cursor.keyValue(), cursor.initialCeiling());
    }

    @Override
    public synchronized void markSuccess(String job, String table, String ceiling) {
        upsert(job, table, "last_success_ceiling = ?", ceiling);
    }

    @Override
    public synchronized void reset(String job, String table) {
        try {
            withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM caravan_cursor WHERE job_name = ? AND table_name = ?")) {
                    ps.setString(1, job);
                    ps.setString(2, table);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("reset", job, table, e);
        }
    }

    /** Updates the row's {@code assignments}, inserting the row first when the table has none yet. */
    private void upsert(String job, String table, String assignments, String... values) {
        try {
            withConnection(c -> {
                if (update(c, job, table, assignments, values) == 0) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO caravan_cursor (job_name, table_name, updated_at) VALUES (?, ?, ?)")) {
                        ps.setString(1, job);
                        ps.setString(2, table);
                        ps.setTimestamp(3, Timestamp.from(Instant.now()));
                        ps.executeUpdate();
                    }
                    int updated = update(c, job, table, assignments, values);
                    if (updated != 1) {
                        throw new SQLException("expected 1 row updated in caravan_cursor for (job=" + job
                                + ", table=" + table + ") but was " + updated);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw failure("write", job, table, e);
        }
    }

    private static int update(Connection c, String job, String table, String assignments, String... values)
            throws SQLException {
        String sql = "UPDATE caravan_cursor SET " + assignments + ", updated_at = ? WHERE job_name = ? AND table_name = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String v : values) {
                ps.setString(i++, v);
            }
            ps.setTimestamp(i++, Timestamp.from(Instant.now()));
            ps.setString(i++, job);
            ps.setString(i, table);
            return ps.executeUpdate();
        }
    }

    private StateException failure(String what, String job, String table, SQLException e) {
        return new StateException("cannot " + what + " the cursor of (job=" + job + ", table=" + table + ") in the "
                + description + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a store that is going away: nothing left to save
        }
    }
}
