package io.caravan.destination.redshift;

import io.caravan.mapping.DestinationSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to a Redshift cluster with the PostgreSQL JDBC driver (Redshift speaks its protocol) from a
 * destination's {@code host} (host, host:port with port 5439 by default, or a full {@code jdbc:postgresql:} URL,
 * whose database then wins over {@code database}). Only the driver's standard startup parameters are sent (no
 * {@code options}, which Redshift does not take); the session is put in UTC by a {@code SET} afterwards.
 */
final class RedshiftConnections {

    /** Redshift's default port. */
    static final int DEFAULT_PORT = 5439;

    private RedshiftConnections() {
    }

    /**
     * @param host   the destination's {@code host}; never null
     * @param dbName the destination's {@code database}; never null
     * @return the JDBC URL
     */
    static String jdbcUrl(String host, String dbName) {
        if (host.startsWith("jdbc:postgresql:")) {
            return host;
        }
        String hostPort = host.contains(":") ? host : host + ":" + DEFAULT_PORT;
        return "jdbc:postgresql://" + hostPort + "/" + dbName;
    }

    /** @return {@code host/database} for messages, with any password in a JDBC URL masked */
    static String describe(DestinationSpec spec) {
        String masked = spec.url().replaceAll("(?i)(password=)[^&;]*", "$1******");
        return masked.startsWith("jdbc:") ? masked : masked + "/" + spec.dbName();
    }

    /**
     * @param spec the destination; its url and dbName are set
     * @return an open connection, auto-commit on
     * @throws SQLException when the cluster refuses (wrong password, unknown database, unreachable)
     */
    static Connection open(DestinationSpec spec) throws SQLException {
        Properties props = new Properties();
        if (spec.username() != null && !spec.username().isEmpty()) {
            props.setProperty("user", spec.username());
        }
        if (spec.password() != null && !spec.password().isEmpty()) {
            props.setProperty("password", spec.password().resolve());
        }
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbcUrl(spec.url(), spec.dbName()), props);
    }
}
