package io.caravan.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates the mapping's {@code tables} list (DMS seed, "Tables"), filling the defaults. Besides each
 * key, it checks the keys of a table against each other (mode versus bookmark and primary key, logging versus the
 * key's type, partitioning versus the destinations, mirroring versus {@code get_table_name}) and the tables of the
 * job against each other (the same table twice, two tables landing in one destination table).
 */
final class TableReader {

    static final List<String> TABLE_KEYS = List.of("table_name", "cron", "mode", "batch_size", "bookmark",
            "improper_bookmarks", "primary_key", "primary_key_datatype", "partition_col", "partition_col_format",
            "buffer_updation_lag", "grace_updation_lag", "strict", "process_dict", "get_table_name");
    static final List<String> LAG_KEYS = List.of("days", "hours", "minutes");

    /** {@code name} or {@code schema.name}; quoting is left to the dialect, so only dots and blanks are refused. */
    private static final Pattern TABLE_NAME = Pattern.compile("[^.\\s\"]+(\\.[^.\\s\"]+)?");

    private final Map<String, DestinationSpec> destinations;
    /** The job's (top-level) {@code get_table_name}; null when none. */
    private final String jobGetTableName;
    private final Problems problems;
    private final Map<String, String> seen = new HashMap<>();
    /** The first table landing in each destination table, by destination table name (the source name part). */
    private final Map<String, Landing> landings = new HashMap<>();

    /**
     * @param path      the table's key path, e.g. {@code tables[0]}
     * @param tableName its {@code table_name} as written, e.g. {@code sales.orders}
     */
    private record Landing(String path, String tableName) {
    }

    private TableReader(Map<String, DestinationSpec> destinations, String jobGetTableName, Problems problems) {
        this.destinations = destinations;
        this.jobGetTableName = jobGetTableName;
        this.problems = problems;
    }

    /**
     * @param top          the mapping's top-level map
     * @param destinations the job's destinations (for the partitioning rule)
     * @param getTableName the job's top-level {@code get_table_name} (for the mirroring rule); null when none
     * @return the tables in file order; empty when the list is missing or empty (then a problem was added)
     */
    static List<TableSpec> tables(MapReader top, Map<String, DestinationSpec> destinations, String getTableName,
                                  Problems problems) {
        Node.ListNode list = top.list("tables", "add tables: with at least one table");
        if (list == null) {
            return List.of();
        }
        if (list.items().isEmpty()) {
            top.problem("tables", "at least one table is required", "add a table with table_name, cron and mode");
        }
        TableReader reader = new TableReader(destinations, getTableName, problems);
        List<TableSpec> tables = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = Node.itemPath("tables", i);
            if (MapReader.isNull(item)) {
                problems.add(item.location(), path, null, "empty table entry", "write table_name, cron and mode");
                continue;
            }
            MapReader table = MapReader.of(item, item.location(), path, TABLE_KEYS, problems,
                    "write a map with table_name, cron, mode and the other table keys");
            if (table.present()) {
                tables.add(reader.table(table, path));
            }
        }
        return Collections.unmodifiableList(tables);
    }

    private TableSpec table(MapReader t, String path) {
        String tableName = tableName(t, path);
        String cron = cron(t);
        Mode mode = t.choice("mode", "mode", Mode::parse, Mode.allowed(), "add mode: one of " + Mode.allowed());
        Integer batchSize = t.integer("batch_size", 1, "write a whole number of 1 or more, e.g. 10000");
        String bookmark = column(t, "bookmark");
        Boolean improperBookmarks = t.bool("improper_bookmarks");
        String primaryKey = column(t, "primary_key");
        KeyType keyType = t.choice("primary_key_datatype", "primary key datatype", KeyType::parse,
                KeyType.allowed(), null);
        String partitionCol = partitionCol(t);
        PartitionFormat format = t.choice("partition_col_format", "partition column format", PartitionFormat::parse,
                PartitionFormat.allowed(), null);
        Lag buffer = lag(t, "buffer_updation_lag");
        Lag grace = lag(t, "grace_updation_lag");
        Boolean strict = t.bool("strict");
        String processDict = t.className("process_dict");
        String getTableName = t.className("get_table_name");
        checkModeKeys(t, mode);
        checkLoggingKey(t, mode, keyType);
        checkPartitioning(t, partitionCol, format);
        checkMirroringRoutes(t, mode);
        checkMirroringDestinations(t, mode);
        t.finish();
        return new TableSpec(tableName, cron, mode, batchSize == null ? TableSpec.DEFAULT_BATCH_SIZE : batchSize,
                mode != null && mode.usesBookmark() ? bookmark : null, Boolean.TRUE.equals(improperBookmarks),
                primaryKey, keyType, partitionCol, format == null ? PartitionFormat.STR : format, buffer, grace,
                strict == null || strict, processDict, getTableName);
    }

    private String tableName(MapReader t, String path) {
        String name = t.string("table_name", "add table_name: <table or schema.table>");
        if (name == null) {
            return null;
        }
        if (!TABLE_NAME.matcher(name).matches()) {
            t.problem("table_name", "expected name or schema.name", "write e.g. orders or sales.orders");
            return name;
        }
        String qualified = name.contains(".") ? name : "public." + name;
        String first = seen.putIfAbsent(qualified, path);
        if (first != null) {
            t.problem("table_name", "table already listed at " + first, "list each table once");
            return name;
        }
        checkLanding(t, path, name);
        return name;
    }

    /**
     * Destinations name a table after the source name without its schema, so {@code sales.orders} and
     * {@code archive.orders} (or {@code orders}) of one job would write into one destination table.
     */
    private void checkLanding(MapReader t, String path, String name) {
        String destinationTable = name.substring(name.indexOf('.') + 1);
        Landing first = landings.putIfAbsent(destinationTable, new Landing(path, name));
        if (first != null) {
            t.problem("table_name", "lands in the same destination table '" + destinationTable + "' as "
                            + first.path() + " (" + first.tableName() + ")",
                    "move one of them to a job of its own with another destination schema");
        }
    }

    private static String cron(MapReader t) {
        String cron = t.string("cron", "add cron: self-managed or a cron expression");
        if (cron == null) {
            return null;
        }
        try {
            Crons.convert(cron);
        } catch (IllegalArgumentException e) {
            t.problem("cron", e.getMessage(), Crons.FORMS);
        }
        return cron;
    }

    private static String column(MapReader t, String key) {
        String column = t.string(key, null);
        if (column != null && column.isBlank()) {
            t.problem(key, "must not be empty", "write a column name or remove the key");
            return null;
        }
        return column;
    }

    /** {@code partition_col}: a column name, or false for none (the seed's default). */
    private static String partitionCol(MapReader t) {
        Boolean flag = t.booleanOrNull("partition_col");
        if (Boolean.TRUE.equals(flag)) {
            t.problem("partition_col", "expected a column name or false", "write the column name, or false for none");
        }
        return flag != null ? null : column(t, "partition_col");
    }

    private Lag lag(MapReader t, String key) {
        MapReader lag = t.map(key, LAG_KEYS, null, "write days, hours and/or minutes under " + key);
        String hint = "write a whole number of 0 or more";
        Integer days = lag.integer("days", 0, hint);
        Integer hours = lag.integer("hours", 0, hint);
        Integer minutes = lag.integer("minutes", 0, hint);
        lag.finish();
        if (!lag.present()) {
            return Lag.NONE;
        }
        return new Lag(days == null ? 0 : days, hours == null ? 0 : hours, minutes == null ? 0 : minutes);
    }

    /** Syncing and mirroring need a bookmark; every mode but dumping needs the primary key and its type. */
    private static void checkModeKeys(MapReader t, Mode mode) {
        if (mode == null) {
            return;
        }
        String when = "required when mode is " + mode.wireValue();
        if (mode.usesBookmark() && !t.has("bookmark")) {
            t.missing("bookmark", when, "add bookmark: <column set to now() on every change, e.g. updated_at>");
        }
        boolean hasKey = t.has("primary_key");
        boolean hasType = t.has("primary_key_datatype");
        if (mode != Mode.DUMPING) {
            requireKeyPair(t, hasKey, hasType, when, when);
        } else {
            requireKeyPair(t, hasKey || !hasType, hasType || !hasKey,
                    "required when primary_key_datatype is set", "required when primary_key is set");
        }
    }

    /**
     * Logging reads the rows whose key is above the stored cursor, so it needs a key that grows with every insert
     * (the seed: "for logging mode, the primary key shall be auto-incremental"): int or datetime, not str or uuid.
     */
    private static void checkLoggingKey(MapReader t, Mode mode, KeyType keyType) {
        if (mode == Mode.LOGGING && (keyType == KeyType.STR || keyType == KeyType.UUID)) {
            t.problem("primary_key_datatype",
                    "logging reads rows whose key is above the last one, so the key must grow with every insert",
                    "use int or datetime, or use mode: syncing with a bookmark");
        }
    }

    private static void requireKeyPair(MapReader t, boolean hasKey, boolean hasType, String keyWhy, String typeWhy) {
        if (!hasKey) {
            t.missing("primary_key", keyWhy, "add primary_key: <unique key column, e.g. id>");
        }
        if (!hasType) {
            t.missing("primary_key_datatype", typeWhy, "add primary_key_datatype: one of " + KeyType.allowed());
        }
    }

    /**
     * Mirroring deletes, from the table named after the source table, the keys that table has and the source has
     * not; rows that {@code get_table_name} routes to other tables are never deleted, and a row whose route changes
     * stays in its old table as well as its new one. Reported at the table's {@code get_table_name}, or at its
     * {@code mode} when the route comes from the job's {@code get_table_name}.
     */
    private void checkMirroringRoutes(MapReader t, Mode mode) {
        if (mode != Mode.MIRRORING) {
            return;
        }
        String why = "deletes never reach routed tables and a row that changes route is kept twice";
        String hint = "use syncing, or drop get_table_name";
        if (t.has("get_table_name")) {
            t.problem("get_table_name", "mirroring cannot route rows to other tables: " + why, hint);
        } else if (jobGetTableName != null) {
            t.problem("mode", "mirroring cannot route rows with the job's get_table_name " + jobGetTableName + ": "
                    + why, hint);
        }
    }

    /**
     * Mirroring deletes rows gone at the source, which object stores of immutable files do not offer (DMS seed,
     * "modes": mirroring "is not available in S3 destination"); the same holds for file destinations.
     */
    private void checkMirroringDestinations(MapReader t, Mode mode) {
        if (mode != Mode.MIRRORING) {
            return;
        }
        destinations.values().stream().filter(d -> "s3".equals(d.destinationType())
                || "file".equals(d.destinationType())).findFirst().ifPresent(d -> t.problem("mode",
                "mirroring is not available for " + d.destinationType() + " destination '" + d.name()
                        + "': its objects are never deleted row by row",
                "use mode: syncing (each primary key once, rows deleted at the source are kept)"));
    }

    /** A pgsql destination partitions by month, so a partition column must be a datetime. */
    private void checkPartitioning(MapReader t, String partitionCol, PartitionFormat format) {
        if (partitionCol == null || format == PartitionFormat.DATETIME
                || format == null && t.has("partition_col_format")) {
            return;
        }
        String pgsql = destinations.values().stream().filter(d -> MappingLoader.PGSQL.equals(d.destinationType()))
                .map(DestinationSpec::name).findFirst().orElse(null);
        if (pgsql == null) {
            return;
        }
        String why = "pgsql destination '" + pgsql + "' partitions by month on a datetime column";
        if (t.has("partition_col_format")) {
            t.problem("partition_col_format", why, "use partition_col_format: datetime");
        } else {
            t.missing("partition_col_format", why + ", and the default is str", "use partition_col_format: datetime");
        }
    }
}
