package io.caravan.dialect.postgres;

import io.caravan.mapping.Secret;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to PostgreSQL from a mapping's {@code url} and {@code db_name}: {@code host}, {@code host:port}
 * (default port 5432), a full {@code jdbc:postgresql:} URL (its database wins over {@code db_name}), or
 * {@code embedded}. Every session runs in UTC so that datetimes travel as they are stored.
 */
public final class PgConnections {

    private PgConnections() {
    }

    /**
     * @return {@code url/dbName} for messages, with any password in a JDBC URL masked
     */
    public static String describe(String url, String dbName) {
        String masked = url.replaceAll("(?i)(password=)[^&;]*", "$1******");
        return masked.startsWith("jdbc:") ? masked : masked + "/" + dbName;
    }

    /**
     * @param url    the mapping's url; never null
     * @param dbName the mapping's db_name; never null
     * @return the JDBC URL
     */
    public static String jdbcUrl(String url, String dbName) {
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        if (EmbeddedPg.URL.equals(url)) {
            return "jdbc:postgresql://localhost:" + EmbeddedPg.get().port() + "/" + dbName;
        }
        String hostPort = url.contains(":") ? url : url + ":5432";
        return "jdbc:postgresql://" + hostPort + "/" + dbName;
    }

    /**
     * Opens a connection, creating the database first when the url is {@code embedded} (and then running
     * {@code initSql}, when given, once).
     *
     * @param url      the mapping's url
     * @param dbName   the mapping's db_name
     * @param user     user; empty for the embedded server's {@code postgres}
     * @param password password; {@link Secret#NONE} for none
     * @param initSql  path of a SQL file to run when an embedded database is created; may be null
     * @return an open connection with auto-commit on, time zone UTC
     * @throws SQLException when the server refuses (wrong password, unknown database, server gone)
     */
    public static Connection open(String url, String dbName, String user, Secret password, String initSql)
            throws SQLException {
        return open(url, dbName, user, password, initSql, true);
    }

    /**
     * As {@link #open(String, String, String, Secret, String)}, optionally keeping the database's own time zone.
     *
     * @param utc false to leave the session in the time zone the server, database or role configure
     */
    public static Connection open(String url, String dbName, String user, Secret password, String initSql,
                                  boolean utc) throws SQLException {
        if (EmbeddedPg.URL.equals(url)) {
            EmbeddedPg.get().ensureDatabase(dbName, initSql);
        }
        Properties props = new Properties();
        props.setProperty("user", user == null || user.isEmpty() ? "postgres" : user);
        if (!password.isEmpty()) {
            props.setProperty("password", password.resolve());
        }
        props.setProperty("ApplicationName", "caravan");
        if (utc) {
            props.setProperty("options", "-c TimeZone=UTC");
        }
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl(url, dbName), props);
    }
}
