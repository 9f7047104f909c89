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

    static final List<String> TOP_KEYS = List.of("source", "destination", "tables", "collections", "topics", "apis",
            "redis", "process_dict", "get_table_name");
    /** The keys of the source by its {@code source_type} (DMS seed "Source", plus this tool's). */
    static final Map<String, List<String>> SOURCE_KEYS = sourceKeys();
    /** Every source key, for a source whose type is missing or unknown. */
    static final List<String> ALL_SOURCE_KEYS = SOURCE_KEYS.values().stream().flatMap(List::stream).distinct()
            .toList();
    static final List<String> REDIS_KEYS = List.of("url", "password");
    /** The keys of a destination by its {@code destination_type} (DMS seed "Destination", plus this tool's). */
    static final Map<String, List<String>> DESTINATION_KEYS = destinationKeys();
    /** Every destination key, for a destination whose type is missing or unknown. */
    static final List<String> ALL_DESTINATION_KEYS = DESTINATION_KEYS.values().stream().flatMap(List::stream)
            .distinct().toList();
    /** JDBC URL prefixes a destination type accepts. */
    static final Map<String, List<String>> JDBC_PREFIXES = Map.of("mysql", List.of("jdbc:mysql:", "jdbc:mariadb:"),
            "mariadb", List.of("jdbc:mariadb:", "jdbc:mysql:"), "oracle", List.of("jdbc:oracle:"),
            "sqlserver", List.of("jdbc:sqlserver:"), "sqlite", List.of("jdbc:sqlite:"), "h2", List.of("jdbc:h2:"),
            "jdbc", List.of("jdbc:"));
    /** S3 bucket names (AWS "Bucket naming rules", the common subset). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9_-]*");
    /** Job names (file base names) and destination names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** The only source and destination type so far. */
    static final String PGSQL = "pgsql";
    static final String EMBEDDED = "embedded";

    private static final Pattern HOST_PORT =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?");
    private static final Pattern KAFKA_SERVERS =
            Pattern.compile("[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}(,[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5})*");
    private static final String URL_HINT = "write host, host:port, jdbc:postgresql://host[:port]/db or embedded";

    private MappingLoader() {
    }

    private static Map<String, List<String>> sourceKeys() {
        List<String> server = List.of("source_type", "url", "db_name", "username", "password");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put(PGSQL, List.of("source_type", "url", "db_name", "username", "password", "init_sql"));
        for (String type : List.of("mysql", "mariadb", "oracle", "sqlserver", "h2", "jdbc", "mongo")) {
            keys.put(type, server);
        }
        keys.put("sqlite", List.of("source_type", "url", "db_name"));
        keys.put("kafka", List.of("source_type", "kafka_server", "db_name", "kafka_username", "kafka_password",
                "consumer_group_id"));
        keys.put("api", List.of("source_type", "db_name"));
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, List<String>> destinationKeys() {
        List<String> s3 = List.of("s3_bucket_name", "s3_endpoint", "s3_region", "aws_access_key_id",
                "aws_secret_access_key");
        List<String> server = List.of("destination_type", "url", "db_name", "username", "password", "schema");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put(PGSQL, server);
        keys.put("redshift", concat(List.of("destination_type", "host", "database", "user", "password", "schema"), s3,
                List.of("iam_role")));
        keys.put("s3", concat(List.of("destination_type"), s3, List.of("s3_suffix")));
        keys.put("file", List.of("destination_type", "path", "format", "suffix"));
        for (String type : List.of("mysql", "mariadb", "oracle", "sqlserver")) {
            keys.put(type, server);
        }
        keys.put("sqlite", List.of("destination_type", "url"));
        keys.put("h2", List.of("destination_type", "url", "username", "password", "schema"));
        return Collections.unmodifiableMap(keys);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
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
        String path = mapping.source().listKey() + "[" + index + "]." + key;
        Location at = new Location(mapping.file().toString(), 1, 1);
        Node root = TreeParser.parse(mapping.file(), new Problems());
        String listKey = mapping.source().listKey();
        if (root instanceof Node.MapNode top && top.entries().get(listKey) != null
                && top.entries().get(listKey).value() instanceof Node.ListNode list && index >= 0
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
        Node.Entry sourceEntry = top.entries().get("source");
        List<String> sourceKeys = SOURCE_KEYS.getOrDefault(
                writtenType(sourceEntry == null ? null : sourceEntry.value(), "source_type"), ALL_SOURCE_KEYS);
        SourceSpec source = source(top.map("source", sourceKeys, "add source: with source_type, url and db_name"),
                name);
        Map<String, DestinationSpec> destinations = destinations(top, source, problems);
        String processDict = top.className("process_dict");
        String getTableName = top.className("get_table_name");
        List<TableSpec> tables = TableReader.tables(top, source.sourceType(), destinations, getTableName, problems);
        RedisSpec redis = redis(top, source);
        top.finish();
        return new JobMapping(name, file, source, destinations, tables, processDict, getTableName, redis);
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

    private static SourceSpec source(MapReader r, String job) {
        String types = String.join(", ", SourceSpec.TYPES);
        String type = r.choice("source_type", "source type", MappingLoader::sourceType, types,
                "add source_type: one of " + types);
        String dbHint = "add db_name: <" + (type == null || type.equals(PGSQL) || SourceSpec.JDBC_TYPES.contains(type)
                && !type.equals("sqlite") && !type.equals("jdbc") || "mongo".equals(type) ? "source database name"
                : "a name for the destination schema <source>_<db_name>_dms") + ">";
        String dbName = null;
        String url = null;
        String initSql = null;
        SourceSpec.KafkaSpec kafka = null;
        if (PGSQL.equals(type) || type == null) {
            url = url(r);
            dbName = r.text("db_name", dbHint);
            initSql = r.string("init_sql", null);
            if (initSql != null && url != null && !url.equals(EMBEDDED)) {
                r.problem("init_sql", "only allowed when url is embedded", "remove init_sql or write url: embedded");
            }
        } else if (SourceSpec.JDBC_TYPES.contains(type)) {
            url = jdbcUrl(r, type, type.equals("sqlite") || type.equals("h2"));
            if (url != null && type.equals("jdbc") && !url.startsWith("jdbc:")) {
                r.problem("url", "a jdbc source needs a jdbc: URL", "write the driver's URL, e.g. jdbc:db2://host/db");
                url = null;
            }
            boolean named = url != null && url.startsWith("jdbc:") && !type.equals("jdbc");
            dbName = r.text("db_name", named ? null : dbHint);
            if (dbName == null && named) {
                dbName = type;
            }
        } else if (type.equals("mongo")) {
            url = r.text("url", "add url: host[:port] or a mongodb:// URI");
            if (url != null && !url.startsWith("mongodb://") && !url.startsWith("mongodb+srv://")
                    && (!HOST_PORT.matcher(url).matches() || !portInRange(url))) {
                r.problem("url", "not a MongoDB address", "write host, host:port or a mongodb:// URI");
                url = null;
            }
            dbName = r.text("db_name", dbHint);
        } else if (type.equals("kafka")) {
            String servers = r.text("kafka_server", "add kafka_server: host:port[,host:port...]");
            if (servers != null && !KAFKA_SERVERS.matcher(servers).matches()) {
                r.problem("kafka_server", "expected host:port[,host:port...]", "write e.g. kafka-1:9092,kafka-2:9092");
                servers = null;
            }
            dbName = r.text("db_name", dbHint);
            String user = r.text("kafka_username", null);
            Secret password = r.secret("kafka_password");
            String group = r.text("consumer_group_id", null);
            kafka = new SourceSpec.KafkaSpec(servers, user == null ? "" : user, password,
                    group == null ? "caravan-" + job : group);
        } else {
            dbName = r.text("db_name", dbHint);
        }
        String username = r.allows("username") ? r.text("username", null) : null;
        Secret password = r.allows("password") ? r.secret("password") : Secret.NONE;
        r.finish();
        return new SourceSpec(type, url, dbName, username == null ? "" : username, password, initSql, kafka);
    }

    /** Reads the top-level {@code redis} (DMS seed: where a Kafka source keeps its open batch). */
    private static RedisSpec redis(MapReader top, SourceSpec source) {
        if (!top.has("redis")) {
            return null;
        }
        if (!"kafka".equals(source.sourceType())) {
            top.problem("redis", "only a kafka source keeps its open batch in Redis", "remove redis");
            return null;
        }
        MapReader r = top.map("redis", REDIS_KEYS, null);
        String url = r.text("url", "add url: redis://host[:port]");
        if (url != null && !url.matches("rediss?://.+") && !HOST_PORT.matcher(url).matches()) {
            r.problem("url", "not a Redis address", "write redis://host[:port][/db] or host[:port]");
            url = null;
        }
        Secret password = r.secret("password");
        r.finish();
        return url == null ? null : new RedisSpec(url, password);
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
            List<String> keys = DESTINATION_KEYS.getOrDefault(writtenType(entry.value(), "destination_type"),
                    ALL_DESTINATION_KEYS);
            MapReader r = MapReader.of(entry.value(), entry.keyLocation(), path, keys, problems,
                    "write destination_type and its keys under the destination's name");
            if (MapReader.isNull(entry.value())) {
                all.missing(entry.key(), "missing value", "write destination_type and its keys");
            }
            destinations.put(entry.key(), destination(entry.key(), r, source));
        }
        return Collections.unmodifiableMap(destinations);
    }

    /** @return the value of {@code key} written in a map, as written; null when there is none */
    private static String writtenType(Node map, String key) {
        if (map instanceof Node.MapNode m && m.entries().get(key) != null
                && m.entries().get(key).value() instanceof Node.Scalar s) {
            return s.text();
        }
        return null;
    }

    private static DestinationSpec destination(String name, MapReader r, SourceSpec source) {
        String type = r.choice("destination_type", "destination type", MappingLoader::destinationType,
                String.join(", ", DestinationSpec.TYPES), "add destination_type: one of "
                        + String.join(", ", DestinationSpec.TYPES));
        String defaultSchema = source.dbName() == null || source.sourceType() == null ? null
                : source.schemaWord() + "_" + source.dbName() + "_dms";
        DestinationSpec spec;
        if (type == null) {
            spec = new DestinationSpec(name, null, null, null, "", Secret.NONE, null);
        } else if (type.equals(PGSQL)) {
            spec = new DestinationSpec(name, type, url(r), r.text("db_name", "add db_name: <destination database name>"),
                    username(r, "username"), r.secret("password"), schema(r, defaultSchema));
        } else if (type.equals("redshift")) {
            String host = r.text("host", "add host: <cluster endpoint>[:port]");
            if (host != null && (!HOST_PORT.matcher(host).matches() || !portInRange(host))) {
                r.problem("host", "not a host or host:port", "write e.g. examplecluster.abc123.us-west-1."
                        + "redshift.amazonaws.com or that with :5439");
                host = null;
            }
            spec = new DestinationSpec(name, type, host, r.text("database", "add database: <Redshift database name>"),
                    username(r, "user"), r.secret("password"), schema(r, defaultSchema),
                    s3(r, "add s3_bucket_name: <bucket for staging files>"), "", null, null,
                    r.string("iam_role", null));
            if (spec.iamRole() != null && !spec.iamRole().startsWith("arn:")) {
                r.problem("iam_role", "expected an IAM role ARN", "write e.g. arn:aws:iam::123456789012:role/Copy");
            }
        } else if (type.equals("s3")) {
            spec = new DestinationSpec(name, type, null, null, "", Secret.NONE, null,
                    s3(r, "add s3_bucket_name: <bucket>"), suffix(r, "s3_suffix"), null,
                    DestinationSpec.FileFormat.PARQUET, null);
        } else if (type.equals("file")) {
            String path = r.text("path", "add path: <folder to write to>");
            DestinationSpec.FileFormat format = r.choice("format", "file format", MappingLoader::fileFormat,
                    "parquet, jsonl, csv", null);
            spec = new DestinationSpec(name, type, null, null, "", Secret.NONE, null, null, suffix(r, "suffix"),
                    path, format == null ? DestinationSpec.FileFormat.PARQUET : format, null);
        } else if (type.equals("sqlite")) {
            spec = new DestinationSpec(name, type, jdbcUrl(r, type, true), null, "", Secret.NONE, null);
        } else if (type.equals("h2")) {
            spec = new DestinationSpec(name, type, jdbcUrl(r, type, true), null, username(r, "username"),
                    r.secret("password"), schema(r, defaultSchema));
        } else {
            String url = jdbcUrl(r, type, false);
            String dbName = url != null && url.startsWith("jdbc:") ? r.text("db_name", null)
                    : r.text("db_name", "add db_name: <" + (type.equals("oracle") ? "service name" : "database") + ">");
            // an Oracle schema is a user that must exist: by default the tables go to the connecting user's
            spec = new DestinationSpec(name, type, url, dbName, username(r, "username"), r.secret("password"),
                    schema(r, type.equals("oracle") ? null : defaultSchema));
        }
        r.finish();
        return spec;
    }

    private static String username(MapReader r, String key) {
        String username = r.text(key, null);
        return username == null ? "" : username;
    }

    private static String schema(MapReader r, String defaultSchema) {
        String schema = r.string("schema", null);
        if (schema != null && schema.isBlank()) {
            r.problem("schema", "must not be empty", "write a schema name or remove the key");
        }
        return schema == null ? defaultSchema : schema;
    }

    private static String suffix(MapReader r, String key) {
        String suffix = r.string(key, null);
        if (suffix != null && !SUFFIX.matcher(suffix).matches()) {
            r.problem(key, "must match [A-Za-z0-9_-]*", "use letters, digits, '_' and '-' only");
        }
        return suffix == null ? "" : suffix;
    }

    /** Reads the bucket and how to reach it (s3 and redshift). */
    private static DestinationSpec.S3Location s3(MapReader r, String bucketHint) {
        String bucket = r.text("s3_bucket_name", bucketHint);
        if (bucket != null && !BUCKET.matcher(bucket).matches()) {
            r.problem("s3_bucket_name", "not a valid bucket name",
                    "use 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit");
        }
        String endpoint = r.text("s3_endpoint", null);
        if (endpoint != null && !endpoint.matches("https?://[^/\\s]+/?")) {
            r.problem("s3_endpoint", "expected http(s)://host[:port]", "write e.g. http://127.0.0.1:9000");
        }
        String region = r.text("s3_region", null);
        if (region != null && !region.matches("[a-z0-9-]+")) {
            r.problem("s3_region", "not a region name", "write e.g. eu-west-1");
        }
        Secret keyId = r.has("aws_access_key_id") ? r.secret("aws_access_key_id") : null;
        Secret secret = r.has("aws_secret_access_key") ? r.secret("aws_secret_access_key") : null;
        if ((keyId == null) != (secret == null)) {
            String missing = keyId == null ? "aws_access_key_id" : "aws_secret_access_key";
            r.missing(missing, "aws_access_key_id and aws_secret_access_key go together",
                    "add " + missing + ", or remove both to use the AWS default credential chain");
        }
        return bucket == null ? null : new DestinationSpec.S3Location(bucket, endpoint, region, keyId, secret);
    }

    /**
     * Reads a JDBC destination's {@code url}: host[:port] (not for file databases), a file path (file databases), or
     * a {@code jdbc:} URL of the type's driver.
     */
    private static String jdbcUrl(MapReader r, String type, boolean fileDatabase) {
        String what = fileDatabase ? "a file path or jdbc:" + type + ": URL" : "host, host:port or a "
                + String.join(" or ", JDBC_PREFIXES.get(type)) + " URL";
        String url = r.text("url", "add url: " + what);
        if (url == null) {
            return null;
        }
        if (url.startsWith("jdbc:")) {
            if (JDBC_PREFIXES.get(type).stream().noneMatch(url::startsWith)) {
                r.problem("url", "not a " + type + " JDBC URL", "write " + what);
                return null;
            }
            return url;
        }
        if (!fileDatabase && (!HOST_PORT.matcher(url).matches() || !portInRange(url))) {
            r.problem("url", "not a " + type + " address", "write " + what);
            return null;
        }
        return url;
    }

    private static String destinationType(String type) {
        if (!DestinationSpec.TYPES.contains(type)) {
            throw new IllegalArgumentException("unsupported type " + type);
        }
        return type;
    }

    private static DestinationSpec.FileFormat fileFormat(String text) {
        for (DestinationSpec.FileFormat f : DestinationSpec.FileFormat.values()) {
            if (f.wireValue().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format " + text);
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

    private static String sourceType(String type) {
        if (!SourceSpec.TYPES.contains(type)) {
            throw new IllegalArgumentException("unsupported type " + type);
        }
        return type;
    }
}
