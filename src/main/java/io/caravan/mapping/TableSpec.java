package io.caravan.mapping;

/**
 * One entry of the mapping's {@code tables} list (DMS seed, "Tables"), with defaults filled in by the loader.
 *
 * @param tableName          source table, {@code name} or {@code schema.name} (schema {@code public} when absent);
 *                           never null
 * @param cron               {@code self-managed}, a Quartz expression or the seed's 8-field form; never null
 * @param mode               never null
 * @param batchSize          rows per batch, 1 or more; default 10000
 * @param bookmark           column that moves when a row changes; null unless syncing or mirroring
 * @param improperBookmarks  true when the bookmark holds timestamps as text; default false
 * @param primaryKey         key column; null only in dumping mode (then taken from the source table when it has one)
 * @param primaryKeyDatatype type of the key; null only in dumping mode
 * @param partitionCol       column giving monthly partitions at the destination; null when not partitioned
 * @param partitionColFormat source type of {@code partitionCol}; default {@link PartitionFormat#STR}
 * @param bufferUpdationLag  re-read window before this run's start; {@link Lag#NONE} when absent
 * @param graceUpdationLag   re-read window before the previous successful run; {@link Lag#NONE} when absent
 * @param strict             true keeps json/jsonb and time zones as they are; false stringifies json and writes
 *                           datetimes in UTC; default true
 * @param processDict        class name of the record transformer for this table; null for the job's (or identity)
 * @param getTableName       class name choosing each record's destination table; null for the job's (or the source
 *                           name)
 * @param options            the keys only some sources have ({@code fields}, {@code time_delay}, {@code col_rename},
 *                           {@code casts}, an API's endpoint); {@link SourceOptions#NONE} for a pgsql table
 */
public record TableSpec(String tableName, String cron, Mode mode, int batchSize, String bookmark,
                        boolean improperBookmarks, String primaryKey, KeyType primaryKeyDatatype, String partitionCol,
                        PartitionFormat partitionColFormat, Lag bufferUpdationLag, Lag graceUpdationLag,
                        boolean strict, String processDict, String getTableName, SourceOptions options) {

    /** A table without source options (a pgsql table). */
    public TableSpec(String tableName, String cron, Mode mode, int batchSize, String bookmark,
                     boolean improperBookmarks, String primaryKey, KeyType primaryKeyDatatype, String partitionCol,
                     PartitionFormat partitionColFormat, Lag bufferUpdationLag, Lag graceUpdationLag,
                     boolean strict, String processDict, String getTableName) {
        this(tableName, cron, mode, batchSize, bookmark, improperBookmarks, primaryKey, primaryKeyDatatype,
                partitionCol, partitionColFormat, bufferUpdationLag, graceUpdationLag, strict, processDict,
                getTableName, SourceOptions.NONE);
    }

    /** Default {@code batch_size} (DMS seed). */
    public static final int DEFAULT_BATCH_SIZE = 10000;

    /** The value of {@code cron} for a table that runs once when started. */
    public static final String SELF_MANAGED = "self-managed";

    /** @return the schema part of {@link #tableName()}, {@code public} when absent */
    public String sourceSchema() {
        int dot = tableName.indexOf('.');
        return dot < 0 ? "public" : tableName.substring(0, dot);
    }

    /** @return the name part of {@link #tableName()} */
    public String sourceName() {
        int dot = tableName.indexOf('.');
        return dot < 0 ? tableName : tableName.substring(dot + 1);
    }
}
