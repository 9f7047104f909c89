package io.caravan.mapping;

/**
 * The mapping's {@code source} (DMS seed, "Source").
 *
 * @param sourceType {@code pgsql} (other types come with later sources); never null
 * @param url        {@code host[:port]}, a {@code jdbc:postgresql:} URL, or {@code embedded} (a PostgreSQL that
 *                   Caravan starts under {@code .caravan/}); never null
 * @param dbName     database name; never null
 * @param username   user name; empty when not given
 * @param password   password; {@link Secret#NONE} when not given
 * @param initSql    path of a SQL file run once when an embedded source database is created; null when absent
 */
public record SourceSpec(String sourceType, String url, String dbName, String username, Secret password,
                         String initSql) {
}
