package io.caravan.destination.jdbc;

import io.caravan.dialect.h2.H2Dialect;
import io.caravan.dialect.mysql.MariaDbDialect;
import io.caravan.dialect.oracle.OracleDialect;
import io.caravan.dialect.sqlite.SqliteDialect;
import io.caravan.dialect.sqlserver.SqlServerDialect;

import java.util.List;

/** The dialects of the {@link JdbcDestination}s, by {@code destination_type}. */
public final class JdbcDialects {

    /** Every JDBC dialect. */
    public static final List<JdbcDialect> ALL = List.of(MariaDbDialect.MARIADB, MariaDbDialect.MYSQL,
            SqliteDialect.INSTANCE, H2Dialect.INSTANCE, OracleDialect.INSTANCE, SqlServerDialect.INSTANCE);

    private JdbcDialects() {
    }

    /** @return the {@code destination_type} values a {@link JdbcDestination} writes: mysql, mariadb, sqlite, ... */
    public static List<String> types() {
        return ALL.stream().flatMap(d -> d.destinationTypes().stream()).toList();
    }

    /**
     * @param destinationType a {@code destination_type}, e.g. {@code mariadb}
     * @return its dialect
     * @throws IllegalArgumentException naming the types there are, when there is none of that type
     */
    public static JdbcDialect forType(String destinationType) {
        for (JdbcDialect d : ALL) {
            if (d.destinationTypes().contains(destinationType)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no JDBC dialect for destination_type '" + destinationType + "'; allowed: "
                + String.join(", ", types()));
    }
}
