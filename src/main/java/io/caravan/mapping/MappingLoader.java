package io.caravan.mapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads job mappings (DMS seed keys, YAML or JSON), fills the defaults and validates them: per key (type, range,
 * pattern, allowed values, unknown keys) and across keys (mode versus required keys, logging versus the primary
 * key's type, {@code init_sql} versus {@code url}, partitioning versus destination, tables of one job landing in
 * one destination table). Checks that need a live database are not made here.
 *
 * <p>Every problem of a file is collected before a {@link MappingException} is thrown; each names
 * {@code file:line:col} of the offending value (bad values), key (unknown keys) or enclosing map (missing keys).
 * {@code ${env:NAME}} in {@code url}, {@code db_name} and {@code username} is replaced by the variable's value;
 * passwords are kept as written in a {@link Secret}.
 */
public final class MappingLoader {

    static final List<String> TOP_KEYS = List.of("source", "destination", "tables", "process_dict", "get_table_name");
    static final List<String> SOURCE_KEYS =
            List.of("source_type", "url", "db_name", "username", "password", "init_sql");
    static final List<String> DESTINATION_KEYS =
            List.of("destination_type", "url", "db_name", "username", "password", "schema");
    /** Job names (file base names) and destination names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** The only source and destination type so far. */
    static final String PGSQL = "pgsql";
    static final String EMBEDDED = "embedded";

    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");
    private static final String URL_HINT = "write host, host:port, jdbc:postgresql://host[:port]/db or embedded";

    private MappingLoader() {
    }

    /**
     * @param file a {@code .yaml}, {@code .yml} or {@code .json} mapping; the job is named after its base name
     * @return the validated mapping with defaults filled in; never null
     * @throws MappingException with every problem of the file, ordered by line and column
     */
    public static JobMapping load(Path file) {
        Problems problems = new Problems();
        JobMapping job = read(file, problems);
        problems.throwIfAny();
        return job;
    }

    /**
     * A problem with one key of one table, found after loading (a column the source does not have, say), located in
     * the mapping file like a validation problem.
     *
     * @param mapping a loaded mapping; never null
     * @param table   one of its tables; never null
     * @param key     the table's key, e.g. {@code bookmark}
     * @param value   the value as written; may be null
     * @param message what is wrong; never null
     * @param hint    what to do; may be null
     * @return the problem, at the key's value (or the table's start when the key is not written)
     */
    public static Problem tableProblem(JobMapping mapping, TableSpec table, String key, String value, String message,
                                       String hint) {
        int index = mapping.tables().indexOf(table);
        for (int i = 0; index < 0 && i < mapping.tables().size(); i++) {
            if (mapping.tables().get(i).tableName().equals(table.tableName())) {
                index = i;
            }
        }
        String path = "tables[" + index + "]." + key;
        Location at = new Location(mapping.file().toString(), 1, 1);
        Node root = TreeParser.parse(mapping.file(), new Problems());
        if (root instanceof Node.MapNode top && top.entries().get("tables") != null
                && top.entries().get("tables").value() instanceof Node.ListNode list && index >= 0
                && index < list.items().size()) {
            Node item = list.items().get(index);
            at = item.location();
            if (item instanceof Node.MapNode t && t.entries().get(key) != null) {
                at = t.entries().get(key).value().location();
            }
        }
        return new Problem(at, path, value, message, hint);
    }

    /**
     * @param files mapping files; the jobs' names (base names) must differ
     * @return the mappings in the order of {@code files}; never null
     * @throws MappingException with the problems of all files, file by file, when any file is invalid or two files
     *                          give the same job name
     */
    public static List<JobMapping> loadAll(List<Path> files) {
        Problems problems = new Problems();
        List<JobMapping> jobs = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path file : files) {
            JobMapping job = read(file, problems);
            if (job == null) {
                continue;
            }
            Path first = seen.putIfAbsent(job.name(), file);
            if (first != null) {
                problems.add(new Location(file.toString(), 1, 1), null, job.name(),
                        "job name already used by " + first, "rename one of the files");
            }
            jobs.add(job);
        }
        problems.throwIfAny();
        return Collections.unmodifiableList(jobs);
    }

    /** @return the mapping; null when the file has problems (added to {@code problems}, ordered by place) */
    static JobMapping read(Path file, Problems problems) {
        int before = problems.size();
        Node root = TreeParser.parse(file, problems);
        JobMapping job = root == null ? null : build(file, root, problems);
        problems.sortFrom(before);
        return problems.size() > before ? null : job;
    }

    private static JobMapping build(Path file, Node root, Problems problems) {
        String name = jobName(file, problems);
        if (root instanceof Node.Scalar scalar && scalar.type() == Node.ScalarType.NULL) {
            problems.add(root.location(), null, null, "the file is empty", "write source, destination and tables");
            return null;
        }
        MapReader top = MapReader.of(root, root.location(), "", TOP_KEYS, problems,
                "write a map with source, destination and tables");
        SourceSpec source = source(top.map("source", SOURCE_KEYS, "add source: with source_type, url and db_name"));
        Map<String, DestinationSpec> destinations = destinations(top, source, problems);
        String processDict = top.className("process_dict");
        String getTableName = top.className("get_table_name");
        List<TableSpec> tables = TableReader.tables(top, destinations, getTableName, problems);
        top.finish();
        return new JobMapping(name, file, source, destinations, tables, processDict, getTableName);
    }

    private static String jobName(Path file, Problems problems) {
        String fileName = String.valueOf(file.getFileName());
        int dot = fileName.lastIndexOf('.');
        String name = dot > 0 ? fileName.substring(0, dot) : fileName;
        if (!NAME.matcher(name).matches()) {
            problems.add(new Location(file.toString(), 1, 1), null, name,
                    "the job name (the file's base name) must match [A-Za-z0-9_-]+",
                    "rename the file with letters, digits, '_' and '-' only");
        }
        return name;
    }

    private static SourceSpec source(MapReader r) {
        String type = r.choice("source_type", "source type", MappingLoader::pgsqlOnly, PGSQL,
                "add source_type: pgsql");
        String url = url(r);
        String dbName = r.text("db_name", "add db_name: <source database name>");
        String username = r.text("username", null);
        Secret password = r.secret("password");
        String initSql = r.string("init_sql", null);
        if (initSql != null && url != null && !url.equals(EMBEDDED)) {
            r.problem("init_sql", "only allowed when url is embedded", "remove init_sql or write url: embedded");
        }
        r.finish();
        return new SourceSpec(type, url, dbName, username == null ? "" : username, password, initSql);
    }

    private static Map<String, DestinationSpec> destinations(MapReader top, SourceSpec source, Problems problems) {
        MapReader all = top.map("destination", null, "add destination: with at least one named destination");
        Map<String, DestinationSpec> destinations = new LinkedHashMap<>();
        if (all.present() && all.entries().isEmpty()) {
            top.problem("destination", "at least one destination is required",
                    "add a named destination with destination_type, url and db_name");
        }
        for (Node.Entry entry : all.entries().values()) {
            String path = all.path(entry.key());
            if (!NAME.matcher(entry.key()).matches()) {
                problems.add(entry.keyLocation(), path, entry.key(), "destination name must match [A-Za-z0-9_-]+",
                        "rename it with letters, digits, '_' and '-' only");
            }
            MapReader r = MapReader.of(entry.value(), entry.keyLocation(), path, DESTINATION_KEYS, problems,
                    "write destination_type, url and db_name under the destination's name");
            if (MapReader.isNull(entry.value())) {
                all.missing(entry.key(), "missing value", "write destination_type, url and db_name");
            }
            destinations.put(entry.key(), destination(entry.key(), r, source));
        }
        return Collections.unmodifiableMap(destinations);
    }

    private static DestinationSpec destination(String name, MapReader r, SourceSpec source) {
        String type = r.choice("destination_type", "destination type", MappingLoader::pgsqlOnly, PGSQL,
                "add destination_type: pgsql");
        String url = url(r);
        String dbName = r.text("db_name", "add db_name: <destination database name>");
        String username = r.text("username", null);
        Secret password = r.secret("password");
        String schema = r.string("schema", null);
        if (schema != null && schema.isBlank()) {
            r.problem("schema", "must not be empty", "write a schema name or remove the key");
        }
        if (schema == null && source.dbName() != null) {
            schema = "sql_" + source.dbName() + "_dms";
        }
        r.finish();
        return new DestinationSpec(name, type, url, dbName, username == null ? "" : username, password, schema);
    }

    /** Reads and checks {@code url}: host, host:port, a jdbc:postgresql:// URL or embedded. */
    private static String url(MapReader r) {
        String url = r.text("url", "add url: " + URL_HINT.substring("write ".length()));
        if (url == null || url.equals(EMBEDDED) || url.matches("jdbc:postgresql://.+")) {
            return url;
        }
        if (!HOST_PORT.matcher(url).matches() || !portInRange(url)) {
            r.problem("url", "not a PostgreSQL address", URL_HINT);
            return null;
        }
        return url;
    }

    private static boolean portInRange(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.endsWith("]")) {
            return true;
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return port >= 1 && port <= 65535;
    }

    private static String pgsqlOnly(String type) {
        if (!PGSQL.equals(type)) {
            throw new IllegalArgumentException("unsupported type " + type);
        }
        return type;
    }
}
