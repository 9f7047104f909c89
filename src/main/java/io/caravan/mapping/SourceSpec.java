package io.caravan.mapping;

import java.util.List;

/**
 * The mapping's {@code source} (DMS seed, "Source"), with defaults filled in by the loader.
 *
 * <table>
 *   <caption>fields per source_type</caption>
 *   <tr><th>type</th><th>url</th><th>dbName</th><th>table list</th></tr>
 *   <tr><td>pgsql</td><td>host[:port], a jdbc:postgresql: URL, or {@code embedded} (a PostgreSQL that Caravan
 *       starts under {@code .caravan/})</td><td>database</td><td>tables</td></tr>
 *   <tr><td>mysql, mariadb, oracle, sqlserver</td><td>host[:port] or the driver's jdbc: URL</td>
 *       <td>database (Oracle: service name)</td><td>tables</td></tr>
 *   <tr><td>sqlite, h2</td><td>a file path or the driver's jdbc: URL</td><td>names the destination schema</td>
 *       <td>tables</td></tr>
 *   <tr><td>jdbc</td><td>any jdbc: URL whose driver is on the class path</td><td>names the destination schema</td>
 *       <td>tables</td></tr>
 *   <tr><td>mongo</td><td>host[:port] or a mongodb:// URI</td><td>database</td><td>collections</td></tr>
 *   <tr><td>kafka</td><td>null ({@link #kafka()} holds the brokers)</td><td>names the destination schema</td>
 *       <td>topics</td></tr>
 *   <tr><td>api</td><td>null (each {@code apis} entry has its URL)</td><td>names the destination schema</td>
 *       <td>apis</td></tr>
 * </table>
 *
 * @param sourceType one of {@link #TYPES}; never null
 * @param url        see the table; null where the type has none
 * @param dbName     see the table; never null
 * @param username   user name; empty when not given
 * @param password   password; {@link Secret#NONE} when not given
 * @param initSql    path of a SQL file run once when an embedded source database is created; null when absent
 * @param kafka      the brokers and consumer of a kafka source; null for other types
 */
public record SourceSpec(String sourceType, String url, String dbName, String username, Secret password,
                         String initSql, KafkaSpec kafka) {

    /** Every {@code source_type} this build reads. */
    public static final List<String> TYPES = List.of("pgsql", "mysql", "mariadb", "oracle", "sqlserver", "sqlite",
            "h2", "jdbc", "mongo", "kafka", "api");

    /** A source of {@code tables} read through JDBC other than pgsql. */
    public static final List<String> JDBC_TYPES = List.of("mysql", "mariadb", "oracle", "sqlserver", "sqlite", "h2",
            "jdbc");

    /** A source without Kafka settings. */
    public SourceSpec(String sourceType, String url, String dbName, String username, Secret password,
                      String initSql) {
        this(sourceType, url, dbName, username, password, initSql, null);
    }

    /**
     * @return the key of the mapping's list of tables for this source: {@code tables}, {@code collections},
     *         {@code topics} or {@code apis}
     */
    public String listKey() {
        return listKey(sourceType);
    }

    /**
     * @param sourceType a source type; may be null
     * @return as {@link #listKey()}; {@code tables} for null or an unknown type
     */
    public static String listKey(String sourceType) {
        if (sourceType == null) {
            return "tables";
        }
        return switch (sourceType) {
            case "mongo" -> "collections";
            case "kafka" -> "topics";
            case "api" -> "apis";
            default -> "tables";
        };
    }

    /**
     * @return the first word of the default destination schema {@code <word>_<db_name>_dms}: {@code mongo},
     *         {@code kafka}, {@code api}, else {@code sql} (DMS seed: "sql" is used instead of "pgsql")
     */
    public String schemaWord() {
        return switch (sourceType) {
            case "mongo", "kafka", "api" -> sourceType;
            default -> "sql";
        };
    }

    /**
     * Kafka brokers and consumer (DMS seed, "Source" for kafka).
     *
     * @param servers         {@code kafka_server}: bootstrap servers, {@code host:port[,host:port...]}; never null
     * @param username        {@code kafka_username} for SASL; empty when absent
     * @param password        {@code kafka_password}; {@link Secret#NONE} when absent
     * @param consumerGroupId {@code consumer_group_id}; never null (default {@code caravan-<job>})
     */
    public record KafkaSpec(String servers, String username, Secret password, String consumerGroupId) {
    }
}
