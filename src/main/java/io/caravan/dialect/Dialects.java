package io.caravan.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Tells databases apart that speak one wire protocol. Amazon Redshift answers the PostgreSQL protocol and calls itself
 * {@code PostgreSQL} in {@code DatabaseMetaData}, so the product name alone cannot be trusted; its
 * {@code SELECT version()} ends with {@code Redshift <version>}, e.g. {@code PostgreSQL 8.0.2 on i686-pc-linux-gnu,
 * compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.12103}. Flyway's
 * {@code PostgreSQLDatabaseType.handlesDatabaseProductNameAndVersion} makes the same check (STYLE.md, "Flyway").
 */
public final class Dialects {

    private Dialects() {
    }

    /**
     * @param connection an open connection to a server that speaks the PostgreSQL protocol; never null. Runs one
     *                   {@code SELECT version()} on it (in its current transaction, if any)
     * @return true when the server is Amazon Redshift (or Redshift Serverless)
     * @throws SQLException when the query fails (the server is gone, say)
     */
    public static boolean isRedshift(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            return rs.next() && isRedshiftVersion(rs.getString(1));
        }
    }

    /**
     * @param version what {@code SELECT version()} returned; null gives false
     * @return true when it names Redshift (the word {@code Redshift}, in any case)
     */
    public static boolean isRedshiftVersion(String version) {
        return version != null && version.toLowerCase(java.util.Locale.ROOT).contains("redshift");
    }
}
