package io.caravan.dialect.postgres;

import io.caravan.batch.Column;
import io.caravan.dialect.SqlDialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PostgreSQL's SQL: identifiers quoted with double quotes, typed literals, binary COPY, {@code ON CONFLICT} upserts,
 * monthly range partitions. Reference: the PostgreSQL manual, "COPY", "INSERT ... ON CONFLICT", "Table Partitioning".
 */
public final class PostgresDialect implements SqlDialect {

    /** The one instance. */
    public static final PostgresDialect INSTANCE = new PostgresDialect();

    /** Column dumping mode adds: when the snapshot was taken (DMS seed). */
    public static final String SNAPSHOT_COLUMN = "migration_snapshot_date";

    private PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String literal(String value, String sqlType) {
        if (value == null) {
            return "NULL::" + sqlType;
        }
        return "'" + value.replace("'", "''") + "'::" + sqlType;
    }

    /** @return a comma-separated list of the quoted column names */
    public String columnList(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    private String names(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /**
     * @return columns of a table: name, format_type, type OID, NOT NULL, user-defined type, array of a user-defined
     *         type, array; params schema, table
     */
    public String describeColumns() {
        return "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, a.attnotnull,"
                + " t.oid >= 16384 AND t.typcategory <> 'A' AS user_type,"
                + " t.typcategory = 'A' AND et.oid >= 16384 AS user_array, t.typcategory = 'A' AS is_array"
                + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'"
                + " WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    }

    /** @return primary key columns in key order; params schema, table */
    public String describePrimaryKey() {
        return "SELECT a.attname FROM pg_index i"
                + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND i.indisprimary"
                + " ORDER BY k.ord";
    }

    /** @return the planner's row estimate; params schema, table */
    public String estimateRows() {
        return "SELECT greatest(c.reltuples, 0)::bigint FROM pg_class c"
                + " WHERE c.oid = (quote_ident(?) || '.' || quote_ident(?))::regclass";
    }

    /** @return the server's clock as a timestamptz literal at microsecond precision, in UTC */
    public String clock() {
        return "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'";
    }

    /**
     * @param query a SELECT
     * @return {@code COPY (query) TO STDOUT (FORMAT binary)}
     */
    public String copyOut(String query) {
        return "COPY (" + query + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * @param table   qualified table
     * @param columns columns in the order of the rows
     * @param binary  true for binary rows, false for text rows
     * @return {@code COPY table (cols) FROM STDIN ...}
     */
    public String copyIn(String table, List<Column> columns, boolean binary) {
        return "COPY " + table + " (" + columnList(columns) + ") FROM STDIN" + (binary ? " (FORMAT binary)" : "");
    }

    /**
     * A read of a source table.
     *
     * @param table   qualified source table
     * @param selects select-list expressions, one per column, each already aliased
     * @param where   conditions joined by AND; may be empty
     * @param orderBy order-by expressions; may be empty
     * @return the SELECT
     */
    public String select(String table, List<String> selects, List<String> where, List<String> orderBy) {
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", selects)).append(" FROM ").append(table);
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        return sql.toString();
    }

    /**
     * The select-list expression of one column.
     *
     * @param column   column name
     * @param castTo   type to cast to (user-defined types become text; {@code strict: false} stringifies json);
     *                 null to keep the type
     * @param utc      true to turn a timestamptz into a timestamp in UTC ({@code strict: false})
     * @return the expression, aliased to the column's name
     */
    public String selectColumn(String column, String castTo, boolean utc) {
        String expression = columnExpression(column, castTo, utc);
        return castTo == null && !utc ? expression : expression + " AS " + quote(column);
    }

    /**
     * @return the value of a column as a read selects it, without alias (see {@link #selectColumn})
     */
    public String columnExpression(String column, String castTo, boolean utc) {
        String q = quote(column);
        if (utc) {
            return "(" + q + " AT TIME ZONE 'UTC')";
        }
        return castTo == null ? q : q + "::" + castTo;
    }

    /** @return an expression giving the bookmark as timestamptz when it holds text ({@code improper_bookmarks}) */
    public String improperBookmark(String column) {
        return "CAST(" + quote(column) + " AS timestamp with time zone)";
    }

    /**
     * Keyset condition {@code (a, b) > (x, y)}: on a page boundary inside a run of rows sharing one bookmark value,
     * e.g. rows (10:00, 7) (10:00, 8) (10:00, 9) with the cursor at (10:00, 8), only (10:00, 9) and later remain.
     *
     * @return the condition
     */
    public String after(String bookmarkExpr, String bookmarkLiteral, String keyExpr, String keyLiteral) {
        return "(" + bookmarkExpr + ", " + keyExpr + ") > (" + bookmarkLiteral + ", " + keyLiteral + ")";
    }

    /**
     * @param candidates SQL expressions of one type (the cursor's bookmark and the lag-widened bounds); never empty
     * @return a statement giving the least of them as text
     */
    public String lowerBound(List<String> candidates) {
        return "SELECT LEAST(" + String.join(", ", candidates) + ")::text";
    }

    /**
     * @param timestamptz an expression of type timestamptz
     * @param type        a bookmark type
     * @param zone        the source database's time zone, in which timestamps without time zone and dates are
     *                    written (the wall clock of the applications that write them)
     * @return the expression as a value of {@code type}: for timestamp without time zone and date, the wall clock of
     *         {@code zone} at that instant
     */
    public String asBookmark(String timestamptz, String type, String zone) {
        boolean local = type.equals("date") || type.startsWith("timestamp") && type.contains("without time zone");
        return local ? "((" + timestamptz + ") AT TIME ZONE " + literal(zone, "text") + ")::" + type
                : "(" + timestamptz + ")::" + type;
    }

    /** @return whether a column alone carries a unique index (or primary key); params schema, table, column */
    public String isUniqueColumn() {
        return "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = i.indkey[0] WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                + " AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indexprs IS NULL"
                + " AND a.attname = ?)";
    }

    /** @return {@code CREATE SCHEMA IF NOT EXISTS} */
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /**
     * @param table        qualified table
     * @param columns      the columns, typed exactly as at the source
     * @param primaryKey   key columns; may be empty
     * @param partitionCol column of monthly range partitions; null for none. A partitioned table's key must
     *                     include the partition column; it is then declared UNIQUE rather than PRIMARY KEY, so that
     *                     rows without a partition value (NULL, kept in the default partition) are allowed
     * @param unlogged     true for an unlogged table (a dump's snapshot table)
     * @return {@code CREATE TABLE IF NOT EXISTS ...}
     */
    public String createTable(String table, List<Column> columns, List<String> primaryKey, String partitionCol,
                              boolean unlogged) {
        String cols = columns.stream()
                .map(c -> quote(c.name()) + " " + c.sqlType() + (c.notNull() ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        String kind = partitionCol == null ? "PRIMARY KEY" : "UNIQUE";
        String pk = primaryKey.isEmpty() ? "" : ", " + kind + " (" + names(primaryKey) + ")";
        String partition = partitionCol == null ? "" : " PARTITION BY RANGE (" + quote(partitionCol) + ")";
        return "CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE IF NOT EXISTS " + table + " (" + cols + pk + ")"
                + partition;
    }

    /** @return {@code CREATE TEMP TABLE} for a staging table emptied at each commit */
    public String createStage(String stage, List<Column> columns) {
        String cols = columns.stream().map(c -> quote(c.name()) + " " + c.sqlType()).collect(Collectors.joining(", "));
        return "CREATE TEMP TABLE IF NOT EXISTS " + quote(stage) + " (" + cols + ") ON COMMIT DELETE ROWS";
    }

    /** @return {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} */
    public String addColumn(String table, Column column) {
        return "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " " + column.sqlType();
    }

    /** @return names of a table's columns; params schema, table (no rows when the table does not exist) */
    public String existingColumns() {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position";
    }

    /** @return whether a table has any row: {@code SELECT EXISTS (...)} */
    public String hasRows(String table) {
        return "SELECT EXISTS (SELECT 1 FROM " + table + ")";
    }

    /** @return {@code DROP TABLE IF EXISTS} */
    public String dropTable(String table) {
        return "DROP TABLE IF EXISTS " + table;
    }

    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        List<Column> values = columns.stream().filter(c -> !keyColumns.contains(c.name())).toList();
        String action = values.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + values.stream()
                .map(c -> quote(c.name()) + " = EXCLUDED." + quote(c.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList(columns) + " FROM " + stage
                + " ON CONFLICT (" + names(keyColumns) + ") " + action;
    }

    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList(columns) + " FROM "
                + stage + " ON CONFLICT (" + names(keyColumns) + ") DO NOTHING";
    }

    /**
     * Removes target rows whose key is staged with another partition value: when a row's partition column changes,
     * its old row sits in another partition and the upsert (keyed on key + partition column) would keep both. Rows
     * staged without a partition value are removed too: NULLs never conflict, so they are written anew.
     *
     * @return the DELETE
     */
    public String deleteMovedRows(String target, String stage, List<String> keyColumns, String partitionCol) {
        String join = keyColumns.stream().map(k -> "t." + quote(k) + " = s." + quote(k))
                .collect(Collectors.joining(" AND "));
        String part = quote(partitionCol);
        return "DELETE FROM " + target + " t USING " + stage + " s WHERE " + join + " AND (t." + part
                + " IS DISTINCT FROM s." + part + " OR s." + part + " IS NULL)";
    }

    /** @return INSERT of a dump's snapshot table into the target, every row stamped with {@code snapshotLiteral} */
    public String appendSnapshot(String target, String snapshot, List<Column> columns, String snapshotLiteral) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ", " + quote(SNAPSHOT_COLUMN) + ") SELECT "
                + columnList(columns) + ", " + snapshotLiteral + " FROM " + snapshot;
    }

    /** @return the months (first day, text) that rows of {@code table} fall in, by {@code partitionCol} */
    public String monthsIn(String table, String partitionCol) {
        return "SELECT DISTINCT to_char(date_trunc('month', " + quote(partitionCol) + "), 'YYYY-MM-DD') FROM " + table
                + " WHERE " + quote(partitionCol) + " IS NOT NULL";
    }

    /**
     * @param parent    qualified partitioned table
     * @param partition qualified partition to create
     * @param fromDay   first day of the month, {@code YYYY-MM-DD}
     * @param toDay     first day of the next month
     * @param type      the partition column's type
     * @return {@code CREATE TABLE IF NOT EXISTS p PARTITION OF t FOR VALUES FROM (..) TO (..)}
     */
    public String createMonthPartition(String parent, String partition, String fromDay, String toDay, String type) {
        return "CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF " + parent + " FOR VALUES FROM ("
                + literal(fromDay, type) + ") TO (" + literal(toDay, type) + ")";
    }

    /** @return {@code CREATE TABLE IF NOT EXISTS p PARTITION OF t DEFAULT} */
    public String createDefaultPartition(String parent, String partition) {
        return "CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF " + parent + " DEFAULT";
    }

    /** Hash bucket of a key: the first 32 bits of md5 of its text, masked. Same on every PostgreSQL version. */
    private String bucketOf(String keyExpr) {
        return "(('x' || substr(md5(" + keyExpr + "::text), 1, 8))::bit(32)::int & " + (io.caravan.batch.KeySource.BUCKETS - 1)
                + ")";
    }

    /**
     * @param keyExpression the key as the read selects it (e.g. {@code "id"}, or a cast of it), so that both sides
     *                      hash the same text
     * @return per bucket: bucket, count of keys, sum of a second 32-bit hash of the key
     */
    public String keyBuckets(String table, String keyExpression) {
        String k = keyExpression;
        return "SELECT " + bucketOf(k) + " AS b, count(*), coalesce(sum(('x' || substr(md5(" + k
                + "::text), 9, 8))::bit(32)::int::bigint), 0) FROM " + table + " GROUP BY 1";
    }

    /** @return text of every key (an expression, as in {@link #keyBuckets}) in the buckets given as an int[] */
    public String keysInBuckets(String table, String keyExpression) {
        return "SELECT " + keyExpression + "::text FROM " + table + " WHERE " + bucketOf(keyExpression) + " = ANY (?)";
    }

    /** @return DELETE of the keys given as a text[] parameter, cast to the key's type */
    public String deleteKeys(String table, String key, String keyType) {
        return "DELETE FROM " + table + " WHERE " + quote(key) + " = ANY (CAST(? AS text[])::" + keyType + "[])";
    }

    /** PostgreSQL's longest identifier, in bytes of UTF-8 (NAMEDATALEN - 1); a longer name is silently cut. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    /** Length of the hash tag a shortened derived name carries: {@code _} and 8 hex digits. */
    private static final int TAG_LENGTH = 9;

    /**
     * A name derived from a table name, such as {@code orders__caravan_stage} or {@code orders_p2024_05}. PostgreSQL
     * cuts names at {@value #MAX_IDENTIFIER_BYTES} bytes, so {@code <63-character t>__caravan_snapshot} would name
     * {@code t} itself. When {@code base + suffix} is too long, the base is shortened on a character boundary and
     * followed by {@code _} and 8 hex digits of the SHA-256 of the whole base: the name stays distinct from the base
     * (and from the names derived from other bases) and is the same in every run.
     *
     * @param base   the table name the name derives from; never null
     * @param suffix what the name ends with, e.g. {@code _default}; never null, at most 54 bytes of UTF-8
     * @return {@code base + suffix} when it fits in 63 bytes of UTF-8, else
     *         {@code <shortened base>_<8 hex digits><suffix>}, exactly 63 bytes or fewer; unquoted
     * @throws IllegalArgumentException when the suffix leaves no room for the hash tag
     */
    public String derivedName(String base, String suffix) {
        String whole = base + suffix;
        if (utf8Length(whole) <= MAX_IDENTIFIER_BYTES) {
            return whole;
        }
        int room = MAX_IDENTIFIER_BYTES - TAG_LENGTH - utf8Length(suffix);
        if (room < 0) {
            throw new IllegalArgumentException("suffix '" + suffix + "' is " + utf8Length(suffix) + " bytes; at most "
                    + (MAX_IDENTIFIER_BYTES - TAG_LENGTH) + " leave room for the hash of the base");
        }
        return prefixWithin(base, room) + "_" + hash8(base) + suffix;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** @return the longest prefix of {@code s} of whole characters that is at most {@code maxBytes} of UTF-8 */
    private static String prefixWithin(String s, int maxBytes) {
        int end = 0;
        int bytes = 0;
        while (end < s.length()) {
            int next = s.offsetByCodePoints(end, 1);
            int n = utf8Length(s.substring(end, next));
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end = next;
        }
        return s.substring(0, end);
    }

    /** @return the first 4 bytes of the SHA-256 of {@code s} (UTF-8), as 8 lowercase hex digits */
    private static String hash8(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The text a run's advisory lock is keyed on (see {@link #tryAdvisoryLock}): every part quoted, so that no two
     * different (job, table, target) give the same text.
     *
     * @param job    the job's name; never null
     * @param table  the table as the mapping names it, e.g. {@code sales.orders}; never null
     * @param schema the destination schema; never null
     * @param target the destination table, unqualified; never null
     * @return e.g. {@code caravan run "shop"."orders" -> "dw"."orders"}
     */
    public String runLockKey(String job, String table, String schema, String target) {
        return "caravan run " + quote(job) + "." + quote(table) + " -> " + qualified(schema, target);
    }

    /**
     * A session-level advisory lock keyed by the 64-bit {@code hashtextextended} of a text (see
     * {@link #runLockKey}); held until it is unlocked or the session ends, whatever its transactions do.
     *
     * @return {@code SELECT pg_try_advisory_lock(..)}, one row: true when the session now holds the lock, false when
     *         another session does (it never waits); param: the key text
     */
    public String tryAdvisoryLock() {
        return "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
    }

    /** @return one row: whether a schema exists; param: schema */
    public String schemaExists() {
        return "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)";
    }

    /**
     * Whether {@code INSERT ... ON CONFLICT (key)} has an arbiter: a unique index or constraint (primary key
     * included) whose key columns are exactly {@code key}, in any order, that is valid, not deferrable, without
     * predicate and without expressions ({@code INCLUDE} columns are not key columns).
     *
     * @return one row: true when there is one; params: schema, table (which must exist), key columns as a text[]
     */
    public String hasUniqueKey() {
        return "SELECT EXISTS (SELECT 1 FROM pg_index i"
                + " WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                + " AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL"
                + " AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)"
                + " FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE k.ord <= i.indnkeyatts)"
                + " = (SELECT array_agg(c ORDER BY c) FROM unnest(CAST(? AS text[])) AS c))";
    }

    /**
     * The text a destination target's advisory lock is keyed on (see {@link #tryAdvisoryLock} and
     * {@link #tryAdvisoryLockShared}): the target alone, whatever job or source table writes it, every part quoted.
     *
     * @param database the destination database; never null
     * @param schema   the destination schema; never null
     * @param table    the destination table, unqualified; never null
     * @return e.g. {@code caravan target "dw"."sales"."orders"}
     */
    public String targetLockKey(String database, String schema, String table) {
        return "caravan target " + quote(database) + "." + qualified(schema, table);
    }

    /**
     * As {@link #tryAdvisoryLock}, in shared mode: any number of sessions hold it together, and none while another
     * holds it exclusively.
     *
     * @return {@code SELECT pg_try_advisory_lock_shared(..)}, one row: true when granted; param: the key text
     */
    public String tryAdvisoryLockShared() {
        return "SELECT pg_try_advisory_lock_shared(hashtextextended(?, 0))";
    }

    /** @return one row: the table's comment, NULL when it has none; params: schema, table (which must exist) */
    public String tableComment() {
        return "SELECT obj_description((quote_ident(?) || '.' || quote_ident(?))::regclass, 'pg_class')";
    }

    /**
     * @param table   qualified table
     * @param comment the whole comment; never null
     * @return {@code COMMENT ON TABLE t IS '...'}
     */
    public String commentOnTable(String table, String comment) {
        return "COMMENT ON TABLE " + table + " IS '" + comment.replace("'", "''") + "'";
    }

    /**
     * The line of a target's comment that records who writes it (the job and source table that created it, or
     * first wrote it).
     *
     * @param job   the job's name; never null
     * @param table the source table, schema-qualified; never null
     * @param mode  the table's mode as written in mappings; never null
     * @return e.g. {@code caravan: job=shop table=public.orders mode=mirroring}
     */
    public String ownerComment(String job, String table, String mode) {
        return "caravan: job=" + job + " table=" + table + " mode=" + mode;
    }

    /**
     * A transaction-level advisory lock, waiting for it: held until the transaction ends.
     *
     * @return {@code SELECT pg_advisory_xact_lock(..)}; param: the key text
     */
    public String advisoryXactLock() {
        return "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
    }

    /**
     * @return a statement making the current transaction's commit return before its WAL reaches the disk (PostgreSQL
     *         manual, "Asynchronous Commit"): a later synchronous commit flushes it along with its own
     */
    public String asynchronousCommit() {
        return "SET LOCAL synchronous_commit TO off";
    }

    /**
     * @return a statement that gives the current transaction an id, so that its (synchronous) commit writes a commit
     *         record and flushes the WAL up to it, and with it every earlier asynchronous commit
     */
    public String assignTransactionId() {
        return "SELECT txid_current()";
    }

    /**
     * @return a statement making the current transaction's commit wait until its WAL is on disk, whatever the
     *         server, database or role set as default
     */
    public String synchronousCommit() {
        return "SET LOCAL synchronous_commit TO on";
    }
}
