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
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "caravan-embedded-pg-stop"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dir + ": "
                        + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** @return the TCP port the server listens on (localhost) */
    public int port() {
        return server.getPort();
    }

    /**
     * Creates {@code database} when it does not exist.
     *
     * @return true when it was created now
     * @throws SQLException when the server refuses
     */
    public boolean ensureDatabase(String database) throws SQLException {
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
