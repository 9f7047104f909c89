package io.caravan.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server the tests talk to: the one named by {@code CARAVAN_TEST_PG_URL}
 * (a {@code jdbc:postgresql://host:port/db?user=..&password=..} URL of a superuser), else embedded PostgreSQL
 * binaries from Maven Central (io.zonky.test), started once per JVM.
 */
public final class PgServer {

    private static PgServer instance;

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private PgServer(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** @return the shared server, started on first use */
    public static synchronized PgServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static PgServer start() {
        String url = System.getenv("CARAVAN_TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
            String user = "postgres";
            String password = "";
            if (uri.getQuery() != null) {
                for (String kv : uri.getQuery().split("&")) {
                    String[] p = kv.split("=", 2);
                    if (p[0].equals("user")) {
                        user = p[1];
                    } else if (p[0].equals("password")) {
                        password = p[1];
                    }
                }
            }
            return new PgServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return new PgServer("localhost", pg.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** @return a JDBC URL for {@code database} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** @return a new connection to {@code database} */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /**
     * Creates a database with a random name that starts with {@code prefix}.
     *
     * @return the database's name
     */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
                .toLowerCase(Locale.ROOT);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }
}
