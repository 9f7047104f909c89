package io.caravan.state;

import io.caravan.state.RunRecord.DestinationRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link RunStore} in a JDBC database whose schema Flyway keeps ({@code db/runs} migrations, history table
 * {@code caravan_runs_history}, so it shares a database with the cursor store's {@code db/state}): tables
 * {@code caravan_run} (one row per run) and {@code caravan_run_destination} (one row per destination of a run).
 * Databases: H2 (the embedded default, file database {@code runs} under the state directory), PostgreSQL, MariaDB
 * and MySQL (through the MariaDB driver, {@code jdbc:mariadb:}). Instants are stored as UTC without time zone.
 *
 * <p>One connection, used under this object's lock; when it is found broken (the server restarted) it is opened
 * again before the next statement.
 */
public final class JdbcRunStore implements RunStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRunStore.class);

    /** Longest error text kept: MariaDB's TEXT holds 65,535 bytes, 4 bytes a character at worst. */
    static final int MAX_ERROR_CHARS = 16_000;

    private static final String RUN_COLUMNS = "run_id, job_name, table_name, started_at, ended_at, status, attempt,"
            + " rows_read, bytes_read, seconds, cursor_before, cursor_after, error";
    private static final String DESTINATION_COLUMNS =
            "run_id, ordinal, destination, rows_written, rows_deleted, bytes, seconds";
    /** Most run ids bound in one {@code IN (...)} list. */
    private static final int IN_LIST = 500;
    private static final int VALID_SECONDS = 5;

    private final String url;
    private final Properties credentials;
    private final String description;
    private Connection connection;
    private boolean closed;

    private JdbcRunStore(String url, Properties credentials, String description) {
        this.url = url;
        this.credentials = credentials;
        this.description = description;
    }

    /**
     * Opens (and creates or migrates) the embedded store {@code <dir>/runs} (H2 file database).
     *
     * @param dir the state directory, usually {@code .caravan} in the working directory; created when absent
     * @return the store
     * @throws StateException when the store cannot be created or opened (disk full, not writable)
     */
    public static JdbcRunStore openEmbedded(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StateException("cannot create the run store directory " + dir + ": " + e.getMessage(), e);
        }
        return open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("runs") + ";AUTO_SERVER=TRUE", "sa", "");
    }

    /**
     * Opens (and creates or migrates) a store at a JDBC URL: H2, PostgreSQL, or MariaDB/MySQL.
     *
     * @param url      JDBC URL; never null
     * @param user     user; empty or null to take it from the URL
     * @param password password; empty or null to take it from the URL (or for none)
     * @return the store
     * @throws StateException naming the URL (never the password) when it cannot be reached or migrated
     */
    public static JdbcRunStore open(String url, String user, String password) {
        Properties credentials = new Properties();
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        JdbcRunStore store = new JdbcRunStore(url, credentials, "run store " + redact(url));
        try {
            StateSchema.migrate(url, credentials, "classpath:db/runs", "caravan_runs_history",
                    Map.of("timestamp", timestampType(url)));
            store.connection = store.connect();
            return store;
        } catch (SQLException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new StateException("cannot open the " + store.description + ": " + root.getMessage(), e);
        }
    }

    /** @return the column type of instants: DATETIME(6) on MariaDB/MySQL, TIMESTAMP(6) elsewhere */
    static String timestampType(String url) {
        return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? "DATETIME(6)" : "TIMESTAMP(6)";
    }

    /** @return {@code url} with the value of any {@code password=} parameter replaced by asterisks */
    static String redact(String url) {
        return url.replaceAll("(?i)password=[^&;]*", "password=******");
    }

    @Override
    public synchronized void save(RunRecord run) {
        Objects.requireNonNull(run, "run");
        try {
            Connection c = connection();
            try {
                if (updateRun(c, run) == 0) {
                    insertRun(c, run);
                }
                saveDestinations(c, run);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("cannot save run " + run.id() + " (job=" + run.job() + ", table=" + run.table()
                    + ") in the " + description + ": " + e.getMessage(), e);
        }
    }

    private int updateRun(Connection c, RunRecord run) throws SQLException {
        String sql = "UPDATE caravan_run SET job_name = ?, table_name = ?, started_at = ?, ended_at = ?, status = ?,"
                + " attempt = ?, rows_read = ?, bytes_read = ?, seconds = ?, cursor_before = ?, cursor_after = ?,"
                + " error = ? WHERE run_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindRun(ps, 1, run);
            ps.setString(i, run.id());
            return ps.executeUpdate();
        }
    }

    private void insertRun(Connection c, RunRecord run) throws SQLException {
        String sql = "INSERT INTO caravan_run (job_name, table_name, started_at, ended_at, status, attempt,"
                + " rows_read, bytes_read, seconds, cursor_before, cursor_after, error, run_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindRun(ps, 1, run);
            ps.setString(i, run.id());
            ps.executeUpdate();
        }
    }

    /** Binds every column but the id from {@code i} on; returns the next index. */
    private static int bindRun(PreparedStatement ps, int i, RunRecord run) throws SQLException {
        ps.setString(i++, run.job());
        ps.setString(i++, run.table());
        setInstant(ps, i++, run.started());
        setInstant(ps, i++, run.ended());
        ps.setString(i++, run.status());
        ps.setInt(i++, run.attempt());
        ps.setLong(i++, run.rowsRead());
        ps.setLong(i++, run.bytesRead());
        ps.setDouble(i++, run.seconds());
        ps.setString(i++, run.cursorBefore());
        ps.setString(i++, run.cursorAfter());
        String error = run.error();
        ps.setString(i++, error == null || error.length() <= MAX_ERROR_CHARS ? error
                : error.substring(0, MAX_ERROR_CHARS));
        return i;
    }

    /** Replaces the run's destination rows with those of {@code run}. */
    private static void saveDestinations(Connection c, RunRecord run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM caravan_run_destination WHERE run_id = ?")) {
            ps.setString(1, run.id());
            ps.executeUpdate();
        }
        if (run.destinations().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_run_destination (" + DESTINATION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int ordinal = 0;
            for (DestinationRun d : run.destinations()) {
                ps.setString(1, run.id());
                ps.setInt(2, ordinal++);
                ps.setString(3, d.destination());
                ps.setLong(4, d.rowsWritten());
                ps.setLong(5, d.rowsDeleted());
                ps.setLong(6, d.bytes());
                ps.setDouble(7, d.seconds());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public synchronized Optional<RunRecord> find(String id) {
        List<RunRecord> runs = query("SELECT " + RUN_COLUMNS + " FROM caravan_run WHERE run_id = ?", List.of(id), 0,
                "find run " + id);
        return runs.stream().findFirst();
    }

    @Override
    public synchronized List<RunRecord> list(String job, String table, String status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more but was " + limit);
        }
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM caravan_run");
        List<String> args = new ArrayList<>();
        String and = " WHERE ";
        for (String[] filter : new String[][] {{"job_name", job}, {"table_name", table}, {"status", status}}) {
            if (filter[1] != null) {
                sql.append(and).append(filter[0]).append(" = ?");
                args.add(filter[1]);
                and = " AND ";
            }
        }
        sql.append(" ORDER BY started_at DESC, run_id DESC LIMIT ?");
        return query(sql.toString(), args, limit, "list runs (job=" + job + ", table=" + table + ", status="
                + status + ")");
    }

    /** Runs a query of {@link #RUN_COLUMNS} with string {@code args} and then {@code limit} (when above 0). */
    private List<RunRecord> query(String sql, List<String> args, int limit, String what) {
        try {
            Connection c = connection();
            try {
                List<RunRecord> runs = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (String arg : args) {
                        ps.setString(i++, arg);
                    }
                    if (limit > 0) {
                        ps.setInt(i, limit);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            runs.add(readRun(rs));
                        }
                    }
                }
                List<RunRecord> complete = withDestinations(c, runs);
                c.commit();
                return complete;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StateException("cannot " + what + " in the " + description + ": " + e.getMessage(), e);
        }
    }

    private static RunRecord readRun(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), getInstant(rs, 4), getInstant(rs, 5),
                rs.getString(6), rs.getInt(7), rs.getLong(8), rs.getLong(9), rs.getDouble(10), rs.getString(11),
                rs.getString(12), rs.getString(13), List.of());
    }

    /** @return {@code runs} (without destinations) with their destinations read, in the same order */
    private static List<RunRecord> withDestinations(Connection c, List<RunRecord> runs) throws SQLException {
        Map<String, List<DestinationRun>> byRun = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            byRun.put(r.id(), new ArrayList<>());
        }
        List<String> ids = new ArrayList<>(byRun.keySet());
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
            String sql = "SELECT " + DESTINATION_COLUMNS + " FROM caravan_run_destination WHERE run_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY run_id, ordinal";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byRun.get(rs.getString(1)).add(new DestinationRun(rs.getString(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6), rs.getDouble(7)));
                    }
                }
            }
        }
        List<RunRecord> complete = new ArrayList<>(runs.size());
        for (RunRecord r : runs) {
            complete.add(new RunRecord(r.id(), r.job(), r.table(), r.started(), r.ended(), r.status(), r.attempt(),
                    r.rowsRead(), r.bytesRead(), r.seconds(), r.cursorBefore(), r.cursorAfter(), r.error(),
                    List.copyOf(byRun.get(r.id()))));
        }
        return complete;
    }

    private static void setInstant(PreparedStatement ps, int i, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(i, Types.TIMESTAMP);
        } else {
            ps.setObject(i, LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        }
    }

    private static Instant getInstant(ResultSet rs, int i) throws SQLException {
        LocalDateTime utc = rs.getObject(i, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    /** @return the open connection, opening it again when it was found broken */
    private Connection connection() throws SQLException {
        if (closed) {
            throw new StateException("the " + description + " is closed", null);
        }
        if (connection == null || !connection.isValid(VALID_SECONDS)) {
            if (connection != null) {
                LOG.warn("The connection of the {} is broken; opening a new one", description);
                closeQuietly();
            }
            connection = connect();
        }
        return connection;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, credentials);
        c.setAutoCommit(false);
        return c;
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the connection of the {} failed: {}", description, e.getMessage());
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            closeQuietly();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
