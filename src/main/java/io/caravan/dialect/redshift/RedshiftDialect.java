package io.caravan.dialect.redshift;

import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.dialect.SqlDialect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Amazon Redshift's SQL: DDL with Redshift's types ({@link RedshiftType}), temporary staging tables,
 * {@code COPY ... FORMAT AS PARQUET} from S3, and merges by delete-then-insert (Redshift does not enforce primary
 * keys, so there is no {@code ON CONFLICT}). Every statement but the DDL's types, {@code COPY} and {@code SORTKEY} is
 * also valid PostgreSQL, which the tests use to run the merges. Reference: Amazon Redshift Database Developer Guide,
 * "COPY", "DELETE", "CREATE TABLE", "LOCK", "Performing a merge operation by replacing existing rows".
 */
public final class RedshiftDialect implements SqlDialect {

    /** The one instance. */
    public static final RedshiftDialect INSTANCE = new RedshiftDialect();

    /** Column dumping mode adds: when the snapshot was taken (DMS seed). */
    public static final String SNAPSHOT_COLUMN = "migration_snapshot_date";

    /** Characters of a key's text that {@link #keyText} keeps: Redshift's longest VARCHAR. */
    private static final String KEY_TEXT_TYPE = "VARCHAR(" + RedshiftType.MAX_VARCHAR_BYTES + ")";

    private RedshiftDialect() {
    }

    @Override
    public String name() {
        return "redshift";
    }

    /**
     * Quotes an identifier. Redshift folds even quoted identifiers to lower case unless the session sets
     * {@code enable_case_sensitive_identifier}, so {@code "Orders"} names the table {@code orders}.
     */
    @Override
    public String quote(String identifier) {
        return SqlDialect.doubleQuoted(identifier);
    }

    /** @return {@code 'value'::TYPE}, quotes doubled; pass no backslashes (Redshift may read them as escapes) */
    @Override
    public String literal(String value, String sqlType) {
        return value == null ? "NULL::" + sqlType : text(value) + "::" + sqlType;
    }

    private static String text(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private String names(Collection<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /** @return the quoted column names, comma-separated */
    public String columnList(List<Column> columns) {
        return names(columns.stream().map(Column::name).toList());
    }

    /** @return {@code SET timezone TO 'UTC'}: datetimes and key texts as the source's UTC sessions write them */
    public String utcSession() {
        return "SET timezone TO 'UTC'";
    }

    /** @return {@code CREATE SCHEMA IF NOT EXISTS "s"} */
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    /**
     * @param table      qualified target
     * @param columns    the source's columns, typed by {@link RedshiftType#target()}, NOT NULL kept
     * @param primaryKey key columns, declared as PRIMARY KEY (Redshift does not enforce it; its planner uses it); may
     *                   be empty
     * @param sortKey    column for {@code SORTKEY} (a table's {@code partition_col}: Redshift has no partitions, a
     *                   sort key prunes the same ranges); null for none
     * @param dump       true to add {@code migration_snapshot_date TIMESTAMPTZ} (a dumping target)
     * @return {@code CREATE TABLE IF NOT EXISTS ...}
     */
    public String createTable(String table, List<Column> columns, List<String> primaryKey, String sortKey,
                              boolean dump) {
        List<String> defs = new ArrayList<>();
        for (Column c : columns) {
            defs.add(quote(c.name()) + " " + RedshiftType.of(c).target() + (c.notNull() ? " NOT NULL" : ""));
        }
        if (dump) {
            defs.add(quote(SNAPSHOT_COLUMN) + " TIMESTAMPTZ");
        }
        if (!primaryKey.isEmpty()) {
            defs.add("PRIMARY KEY (" + names(primaryKey) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + table + " (" + String.join(", ", defs) + ")"
                + (sortKey == null ? "" : " SORTKEY (" + quote(sortKey) + ")");
    }

    /**
     * A staging table for one batch (or a dump's snapshot), typed by {@link RedshiftType#stage()}, columns in the
     * batch's order: COPY from Parquet matches columns by position, so the stage is not {@code LIKE} the target
     * (whose columns may be in another order, or include {@code migration_snapshot_date}).
     *
     * @param stage   the stage's unqualified name ({@link #stageName}); temporary tables live in the session's own
     *                schema
     * @param columns the batch's columns
     * @return {@code CREATE TEMP TABLE "stage" (...)}
     */
    public String createStage(String stage, List<Column> columns) {
        String cols = columns.stream().map(c -> quote(c.name()) + " " + RedshiftType.of(c).stage())
                .collect(Collectors.joining(", "));
        return "CREATE TEMP TABLE " + quote(stage) + " (" + cols + ")";
    }

    /**
     * @param target the target's qualified name
     * @return the unqualified name of its staging table: {@code caravan_stage_} and 8 hex digits of the SHA-256 of
     *         {@code target}, the same in every run, distinct per target, within every identifier limit
     */
    public String stageName(String target) {
        return "caravan_stage_" + hash8(target);
    }

    /** @return the unqualified name of a dump's snapshot table of {@code target}, as {@link #stageName} */
    public String snapshotName(String target) {
        return "caravan_snapshot_" + hash8(target);
    }

    /**
     * @param iamRole an IAM role ARN the cluster may assume to read the bucket; never null
     * @return the COPY authorization clause {@code IAM_ROLE 'arn'}
     */
    public String iamRole(String iamRole) {
        return "IAM_ROLE " + text(iamRole);
    }

    /**
     * @param accessKeyId     an AWS access key id; never null
     * @param secretAccessKey its secret; never null
     * @return the COPY authorization clause {@code ACCESS_KEY_ID '..' SECRET_ACCESS_KEY '..'}
     */
    public String accessKeys(String accessKeyId, String secretAccessKey) {
        return "ACCESS_KEY_ID " + text(accessKeyId) + " SECRET_ACCESS_KEY " + text(secretAccessKey);
    }

    /**
     * @param accessKeyId     a temporary access key id; never null
     * @param secretAccessKey its secret; never null
     * @param sessionToken    its session token; never null
     * @return the COPY authorization clause {@code ACCESS_KEY_ID '..' SECRET_ACCESS_KEY '..' SESSION_TOKEN '..'}
     */
    public String temporaryKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
        return accessKeys(accessKeyId, secretAccessKey) + " SESSION_TOKEN " + text(sessionToken);
    }

    /**
     * Loads one Parquet object into a staging table. The bucket must be in the cluster's region (COPY from columnar
     * formats takes no REGION). {@code SERIALIZETOJSON} is added when a column is SUPER (arrays): it loads Parquet
     * lists into SUPER.
     *
     * @param stage         the stage, quoted
     * @param s3Uri         {@code s3://bucket/key}
     * @param authorization {@link #iamRole} or {@link #accessKeys}; the statement then holds secrets: never log it
     * @param columns       the stage's columns
     * @return {@code COPY "stage" FROM 's3://..' <authorization> FORMAT AS PARQUET [SERIALIZETOJSON]}
     */
    public String copyFromParquet(String stage, String s3Uri, String authorization, List<Column> columns) {
        boolean nested = columns.stream().anyMatch(c -> RedshiftType.of(c).stage().equals("SUPER"));
        return "COPY " + stage + " FROM " + text(s3Uri) + " " + authorization + " FORMAT AS PARQUET"
                + (nested ? " SERIALIZETOJSON" : "");
    }

    /**
     * @return {@code LOCK table}: held until the transaction ends, so that runs sharing a target merge one after the
     *         other (Redshift would otherwise abort one of two concurrent merges with a serializable isolation
     *         violation)
     */
    public String lockTable(String table) {
        return "LOCK " + table;
    }

    /** Redshift has no single-statement upsert: use {@link #deleteStaged} then {@link #insertFromStage}. */
    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        throw new UnsupportedOperationException("Redshift has no single-statement upsert; use mergeFromStage");
    }

    /**
     * The upsert of syncing and mirroring (Redshift Database Developer Guide, "Merge examples", delete then
     * insert): deletes the target rows whose key is staged, then inserts every staged row, in the caller's
     * transaction. A replayed batch deletes the rows it wrote before, so no key is duplicated.
     *
     * @param schema the target's schema
     * @param table  the target's name, unqualified
     * @param stage  the stage, quoted
     * @return the two statements, to run in order
     */
    public List<String> mergeFromStage(String schema, String table, String stage, List<Column> columns,
                                       List<String> keyColumns) {
        return List.of(deleteStaged(schema, table, stage, keyColumns),
                insertFromStage(qualified(schema, table), stage, columns));
    }

    /**
     * @return {@code DELETE FROM "s"."t" USING stage WHERE "t".k = stage.k ...}: DELETE takes no alias for its table,
     *         so the condition names it unqualified, as the Redshift guide's examples do
     */
    public String deleteStaged(String schema, String table, String stage, List<String> keyColumns) {
        String join = keyColumns.stream().map(k -> quote(table) + "." + quote(k) + " = " + stage + "." + quote(k))
                .collect(Collectors.joining(" AND "));
        return "DELETE FROM " + qualified(schema, table) + " USING " + stage + " WHERE " + join;
    }

    /** @return {@code INSERT INTO target (cols) SELECT cols FROM stage}, casting where {@link RedshiftType} says */
    public String insertFromStage(String target, String stage, List<Column> columns) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + selectList(columns, null)
                + " FROM " + stage;
    }

    /** Logging: inserts the staged rows whose key the target does not have, as an anti-join. */
    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        String join = keyColumns.stream().map(k -> "t." + quote(k) + " = s." + quote(k))
                .collect(Collectors.joining(" AND "));
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + selectList(columns, "s")
                + " FROM " + stage + " s LEFT JOIN " + target + " t ON " + join + " WHERE t." + quote(keyColumns.get(0))
                + " IS NULL";
    }

    /**
     * @return INSERT of a dump's snapshot table into the target, every row stamped with {@code snapshotLiteral} in
     *         {@code migration_snapshot_date}
     */
    public String appendSnapshot(String target, String snapshot, List<Column> columns, String snapshotLiteral) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ", " + quote(SNAPSHOT_COLUMN) + ") SELECT "
                + selectList(columns, null) + ", " + snapshotLiteral + " FROM " + snapshot;
    }

    private String selectList(List<Column> columns, String alias) {
        return columns.stream().map(c -> {
            String ref = (alias == null ? "" : alias + ".") + quote(c.name());
            RedshiftType type = RedshiftType.of(c);
            return type.castOnMerge() ? "CAST(" + ref + " AS " + type.target() + ")" : ref;
        }).collect(Collectors.joining(", "));
    }

    /** @return {@code DROP TABLE IF EXISTS table} */
    public String dropTable(String table) {
        return "DROP TABLE IF EXISTS " + table;
    }

    /** @return names of a table's columns; params schema, table (no rows when the table does not exist) */
    public String existingColumns() {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position";
    }

    /** @return {@code ALTER TABLE t ADD COLUMN "c" TYPE} (Redshift has no {@code IF NOT EXISTS} there) */
    public String addColumn(String table, Column column) {
        return "ALTER TABLE " + table + " ADD COLUMN " + quote(column.name()) + " " + RedshiftType.of(column).target();
    }

    /**
     * A key column's value as text, the same as the PostgreSQL source's {@code key::text} for the types a key takes:
     * integers, text, uuid (CHAR(36)), timestamps in a UTC session. A {@code character(n)} key was written with its
     * padding, which PostgreSQL's text form drops: it is trimmed.
     *
     * @param key the key column
     * @return an SQL expression of type VARCHAR
     */
    public String keyText(Column key) {
        String text = "CAST(" + quote(key.name()) + " AS " + KEY_TEXT_TYPE + ")";
        return key.sqlType().startsWith("character(") ? "RTRIM(" + text + ")" : text;
    }

    /**
     * The hash bucket of a key text, as {@code io.caravan.dialect.postgres.PostgresDialect} computes it on the
     * source: {@code ('x' || substr(md5(k), 1, 8))::bit(32)::int & 4095}, i.e. the value of md5's hex digits 6 to 8.
     * Redshift has no bit strings, so each hex digit's value is its position in {@code 0123456789abcdef}.
     */
    private static String bucketOf(String keyText) {
        return "((" + hexDigit(keyText, 6) + ") * 256 + (" + hexDigit(keyText, 7) + ") * 16 + ("
                + hexDigit(keyText, 8) + "))";
    }

    /**
     * The second hash of a key text, as the source computes it: {@code ('x' || substr(md5(k), 9, 8))::bit(32)::int},
     * a signed 32-bit integer: the unsigned value of hex digits 9 to 16, less 2^32 when digit 9 is 8 or more.
     */
    private static String hashOf(String keyText) {
        StringBuilder sum = new StringBuilder("(");
        long weight = 1L << 28;
        for (int digit = 9; digit <= 16; digit++, weight >>= 4) {
            sum.append(digit > 9 ? " + " : "").append("CAST(").append(hexDigit(keyText, digit)).append(" AS BIGINT) * ")
                    .append(weight);
        }
        return sum.append(" - CASE WHEN (").append(hexDigit(keyText, 9)).append(") >= 8 THEN 4294967296 ELSE 0 END)")
                .toString();
    }

    /** @return the value (0 to 15) of the {@code position}-th (from 1) hex digit of md5 of {@code keyText} */
    private static String hexDigit(String keyText, int position) {
        return "STRPOS('0123456789abcdef', SUBSTRING(MD5(" + keyText + "), " + position + ", 1)) - 1";
    }

    /**
     * @param table   qualified target
     * @param keyText {@link #keyText} of the key
     * @return per bucket: bucket (0 to {@link KeySource#BUCKETS} - 1), count of keys, sum of the keys' second hash;
     *         the same numbers the source gives for the same keys
     */
    public String keyBuckets(String table, String keyText) {
        if (KeySource.BUCKETS != 4096) {
            throw new IllegalStateException("bucketOf assumes 4096 buckets (3 hex digits), not " + KeySource.BUCKETS);
        }
        return "SELECT " + bucketOf(keyText) + " AS b, COUNT(*), COALESCE(SUM(" + hashOf(keyText) + "), 0) FROM "
                + table + " GROUP BY 1";
    }

    /**
     * @param buckets bucket numbers; never empty
     * @return the key text of every target row in those buckets
     */
    public String keysInBuckets(String table, String keyText, Collection<Integer> buckets) {
        String list = buckets.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return "SELECT " + keyText + " FROM " + table + " WHERE " + bucketOf(keyText) + " IN (" + list + ")";
    }

    /**
     * @param count number of keys; 1 or more
     * @return DELETE of the rows whose key text is one of {@code count} text parameters
     */
    public String deleteKeys(String table, String keyText, int count) {
        return "DELETE FROM " + table + " WHERE " + keyText + " IN (" + String.join(", ", java.util.Collections.nCopies(
                count, "?")) + ")";
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
}
