package io.caravan.dialect.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL that Caravan starts itself when a mapping says {@code url: embedded}: binaries from Maven Central
 * (io.zonky.test), data kept under {@code .caravan/pg} in the working directory, so a second run finds the first
 * run's databases. One per process, started on first use and stopped when the process exits.
 */
public final class EmbeddedPg {

    /** The {@code url} value that names the embedded server. */
    public static final String URL = "embedded";

    private static EmbeddedPg instance;

    private final EmbeddedPostgres server;

    private EmbeddedPg(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * @return the running server, started on first call (a few seconds; the first start unpacks the binaries)
     * @throws IllegalStateException when the server cannot start (e.g. the data directory belongs to a running one)
     */
    public static synchronized EmbeddedPg get() {
        if (instance == null) {
            Path dir = Path.of(".caravan", "pg").toAbsolutePath();
            try {
                Files.createDirectories(dir.getParent());
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .start();
                instance = new EmbeddedPg(pg);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    io.caravan.runtime.Shutdown.awaitRelease();  // a stopped run's last batch still writes
                    instance.stop();
                }, "caravan-embedded-pg-stop"));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dir
                        + " (is another caravan process using it? wait for it to finish): " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** @return the TCP port the server listens on (localhost) */
    public int port() {
        return server.getPort();
    }

    /**
     * Creates {@code database} when it does not exist and then runs {@code initSql} in it. Tables of one job call
     * this from several threads: the first creates and fills, the others wait for it.
     *
     * @param database database name
     * @param initSql  path of a SQL file to run after creating it; may be null
     * @throws SQLException when the server refuses or the script fails (the database is then dropped again)
     */
    public synchronized void ensureDatabase(String database, String initSql) throws SQLException {
        if (!create(database)) {
            return;
        }
        if (initSql == null) {
            return;
        }
        try (Connection c = server.getDatabase("postgres", database).getConnection();
             Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of(initSql)));
        } catch (SQLException | IOException e) {
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + PostgresDialect.INSTANCE.quote(database));
            }
            throw new SQLException("init_sql " + initSql + " failed in the embedded database " + database + ": "
                    + e.getMessage(), e);
        }
    }

    private boolean create(String database) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + PostgresDialect.INSTANCE.quote(database));
            }
            return true;
        }
    }

    private void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the process is exiting
        }
    }
}
