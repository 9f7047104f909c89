package io.caravan.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    static final List<String> COLLECTION_KEYS = List.of("collection_name", "cron", "mode", "batch_size", "time_delay",
            "bookmark", "improper_bookmarks", "partition_col", "partition_col_format", "buffer_updation_lag",
            "grace_updation_lag", "fields", "strict", "process_dict", "get_table_name");
    static final List<String> TOPIC_KEYS = List.of("topic_name", "cron", "mode", "batch_size", "primary_key",
            "partition_col", "partition_col_format", "fields", "col_rename", "process_dict", "get_table_name");
    static final List<String> API_KEYS = List.of("api_name", "url", "auth_header", "records_path", "page_param",
            "bookmark_param", "cron", "mode", "batch_size", "bookmark", "primary_key", "primary_key_datatype",
            "partition_col", "partition_col_format", "fields", "strict", "process_dict", "get_table_name");
    /** The key of every table list, for refusing the lists a source does not take. */
    static final List<String> LIST_KEYS = List.of("tables", "collections", "topics", "apis");

    /**
     * What one kind of table list holds.
     *
     * @param listKey the list's key, e.g. {@code collections}
     * @param nameKey the key naming an entry, e.g. {@code collection_name}
     * @param keys    the allowed keys of an entry
     * @param modes   the modes an entry may have
     */
    private record Kind(String listKey, String nameKey, List<String> keys, List<Mode> modes) {
        String item() {
            return listKey.substring(0, listKey.length() - 1);
        }

        String modeList() {
            return modes.stream().map(Mode::wireValue).collect(Collectors.joining(", "));
        }
    }

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
     * @param sourceType   the source's type (chooses the list: {@code tables}, {@code collections}, {@code topics}
     *                     or {@code apis}); null when the source has none (then {@code tables})
     * @param destinations the job's destinations (for the partitioning rule)
     * @param getTableName the job's top-level {@code get_table_name} (for the mirroring rule); null when none
     * @return the tables in file order; empty when the list is missing or empty (then a problem was added)
     */
    static List<TableSpec> tables(MapReader top, String sourceType, Map<String, DestinationSpec> destinations,
                                  String getTableName, Problems problems) {
        Kind kind = kind(sourceType);
        for (String other : LIST_KEYS) {
            if (!other.equals(kind.listKey()) && top.has(other)) {
                top.problem(other, "source_type " + sourceType + " takes " + kind.listKey() + ", not " + other,
                        "rename " + other + " to " + kind.listKey() + " with " + kind.nameKey() + " entries");
            }
        }
        Node.ListNode list = top.list(kind.listKey(), "add " + kind.listKey() + ": with at least one "
                + kind.item());
        if (list == null) {
            return List.of();
        }
        if (list.items().isEmpty()) {
            top.problem(kind.listKey(), "at least one " + kind.item() + " is required",
                    "add a " + kind.item() + " with " + kind.nameKey() + ", cron and mode");
        }
        TableReader reader = new TableReader(destinations, getTableName, problems);
        List<TableSpec> tables = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String path = Node.itemPath(kind.listKey(), i);
            if (MapReader.isNull(item)) {
                problems.add(item.location(), path, null, "empty " + kind.item() + " entry",
                        "write " + kind.nameKey() + ", cron and mode");
                continue;
            }
            MapReader table = MapReader.of(item, item.location(), path, kind.keys(), problems,
                    "write a map with " + kind.nameKey() + ", cron, mode and the other keys");
            if (table.present()) {
                tables.add(reader.table(table, path, kind));
            }
        }
        return Collections.unmodifiableList(tables);
    }

    private static Kind kind(String sourceType) {
        List<Mode> noMirror = List.of(Mode.DUMPING, Mode.LOGGING, Mode.SYNCING);
        return switch (SourceSpec.listKey(sourceType)) {
            case "collections" -> new Kind("collections", "collection_name", COLLECTION_KEYS, noMirror);
            case "topics" -> new Kind("topics", "topic_name", TOPIC_KEYS, List.of(Mode.LOGGING, Mode.SYNCING));
            case "apis" -> new Kind("apis", "api_name", API_KEYS, noMirror);
            default -> {
                List<String> keys = TABLE_KEYS;
                if (sourceType != null && SourceSpec.JDBC_TYPES.contains(sourceType)) {
                    keys = new ArrayList<>(TABLE_KEYS);
                    keys.add("casts");
                    keys.add("read_connections");
                }
                yield new Kind("tables", "table_name", List.copyOf(keys), List.of(Mode.values()));
            }
        };
    }

    private TableSpec table(MapReader t, String path, Kind kind) {
        boolean topics = kind.listKey().equals("topics");
        String tableName = kind.listKey().equals("tables") ? tableName(t, path) : entryName(t, path, kind);
        String cron = cron(t);
        Mode mode = t.choice("mode", "mode", Mode::parse, kind.modeList(),
                topics ? null : "add mode: one of " + kind.modeList());
        if (mode != null && !kind.modes().contains(mode)) {
            t.problem("mode", "a " + kind.item() + " cannot be " + mode.wireValue(), "allowed: " + kind.modeList());
            mode = null;
        } else if (topics && !t.has("mode")) {
            mode = Mode.LOGGING;
        }
        Integer batchSize = t.integer("batch_size", 1, "write a whole number of 1 or more, e.g. 10000");
        List<String> keys = kind.keys();
        String bookmark = keys.contains("bookmark") ? column(t, "bookmark") : null;
        Boolean improperBookmarks = keys.contains("improper_bookmarks") ? t.bool("improper_bookmarks") : null;
        String primaryKey = keys.contains("primary_key") ? column(t, "primary_key") : null;
        KeyType keyType = keys.contains("primary_key_datatype") ? t.choice("primary_key_datatype",
                "primary key datatype", KeyType::parse, KeyType.allowed(), null) : null;
        String partitionCol = partitionCol(t);
        PartitionFormat format = t.choice("partition_col_format", "partition column format", PartitionFormat::parse,
                PartitionFormat.allowed(), null);
        Lag buffer = keys.contains("buffer_updation_lag") ? lag(t, "buffer_updation_lag") : Lag.NONE;
        Lag grace = keys.contains("grace_updation_lag") ? lag(t, "grace_updation_lag") : Lag.NONE;
        Boolean strict = keys.contains("strict") ? t.bool("strict") : null;
        String processDict = t.className("process_dict");
        String getTableName = t.className("get_table_name");
        SourceOptions options = options(t, keys);
        if (kind.listKey().equals("collections")) {
            // a document's key is its _id (ObjectIds grow with their creation time, so logging may read by them)
            primaryKey = "_id";
            keyType = KeyType.STR;
            if (mode != null && mode.usesBookmark() && !t.has("bookmark")) {
                t.missing("bookmark", "required when mode is " + mode.wireValue(),
                        "add bookmark: <field set to the time of every change, e.g. updated_at>");
            }
        } else if (topics) {
            // records are keyed by primary_key's field, or by the record key when absent (null)
            keyType = KeyType.STR;
        } else {
            checkModeKeys(t, mode);
            checkLoggingKey(t, mode, keyType);
        }
        checkPartitioning(t, partitionCol, format);
        checkMirroringRoutes(t, mode);
        checkMirroringDestinations(t, mode);
        t.finish();
        return new TableSpec(tableName, cron, mode, batchSize == null ? TableSpec.DEFAULT_BATCH_SIZE : batchSize,
                mode != null && mode.usesBookmark() ? bookmark : null, Boolean.TRUE.equals(improperBookmarks),
                primaryKey, keyType, partitionCol, format == null ? PartitionFormat.STR : format, buffer, grace,
                strict == null || strict, processDict, getTableName, options);
    }

    /** The name of a collection, topic or API: any text without blanks, each once per job. */
    private String entryName(MapReader t, String path, Kind kind) {
        String name = t.string(kind.nameKey(), "add " + kind.nameKey() + ": <name>");
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            t.problem(kind.nameKey(), "must not be empty or contain blanks", "write the name as the source has it");
            return name;
        }
        String first = seen.putIfAbsent(kind.listKey() + ":" + name, path);
        if (first != null) {
            t.problem(kind.nameKey(), kind.item() + " already listed at " + first,
                    "list each " + kind.item() + " once");
        }
        return name;
    }

    /**
     * Reads {@code fields}, {@code time_delay}, {@code col_rename}, {@code casts}, {@code read_connections} and an
     * API's endpoint keys.
     */
    private static SourceOptions options(MapReader t, List<String> keys) {
        Map<String, SourceOptions.FieldType> fields = new LinkedHashMap<>();
        if (keys.contains("fields")) {
            MapReader f = t.map("fields", null, null, "write field: type pairs (datetime, bool, int, float)");
            for (Map.Entry<String, String> e : f.strings().entrySet()) {
                try {
                    fields.put(e.getKey(), SourceOptions.FieldType.parse(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    f.problem(e.getKey(), "unknown field type", "allowed: datetime, bool, int, float");
                }
            }
        }
        Integer delay = keys.contains("time_delay")
                ? t.integer("time_delay", 0, "write a whole number of seconds, 0 or more") : null;
        Map<String, String> rename = keys.contains("col_rename")
                ? t.map("col_rename", null, null, "write field: new_name pairs").strings() : Map.of();
        Map<String, String> casts = keys.contains("casts") ? t.map("casts", null, null,
                "write column: type pairs, e.g. amount: numeric(12,2)").strings() : Map.of();
        Integer readConnections = keys.contains("read_connections") ? t.integer("read_connections", 1,
                "write a whole number of 1 or more, e.g. 4 (source connections reading key ranges at once)") : null;
        SourceOptions.ApiSpec api = null;
        if (keys.contains("api_name")) {
            String url = t.text("url", "add url: <the first page's http(s) URL>");
            if (url != null && !url.matches("https?://\\S+")) {
                t.problem("url", "expected an http(s) URL", "write e.g. https://api.example.com/v1/orders");
            }
            String auth = t.string("auth_header", null);
            String records = t.string("records_path", null);
            if (records != null && !records.isEmpty() && !records.startsWith("/")) {
                t.problem("records_path", "expected a JSON Pointer",
                        "write e.g. /data/items, or leave it out when the page is the array");
            }
            String page = t.string("page_param", null);
            String bookmarkParam = t.string("bookmark_param", null);
            if (page != null && bookmarkParam != null) {
                t.problem("bookmark_param", "an API pages either by number or by bookmark",
                        "keep page_param or bookmark_param");
            }
            if (bookmarkParam != null && !t.has("bookmark")) {
                t.missing("bookmark", "required with bookmark_param", "add bookmark: <field whose last value is sent>");
            }
            api = new SourceOptions.ApiSpec(url, auth == null ? null : new Secret(auth),
                    records == null ? "" : records, page, bookmarkParam);
        }
        return new SourceOptions(Map.copyOf(fields), delay == null ? 0 : delay, Map.copyOf(rename),
                Map.copyOf(casts), api, readConnections == null ? 0 : readConnections);
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
