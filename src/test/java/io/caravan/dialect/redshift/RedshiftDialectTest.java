package io.caravan.dialect.redshift;

import io.caravan.batch.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL the Redshift dialect builds, asserted exactly. */
class RedshiftDialectTest {

    private static final RedshiftDialect SQL = RedshiftDialect.INSTANCE;
    private static final String TARGET = "\"dw\".\"orders\"";
    private static final String STAGE = "\"caravan_stage_b1ef10d0\"";
    private static final List<Column> COLUMNS = List.of(
            new Column("id", "bigint", 20, true),
            new Column("doc", "jsonb", 3802, false),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("at", "time without time zone", 1083, false));
    private static final List<Column> WITH_ARRAY = List.of(
            new Column("id", "bigint", 20, true),
            new Column("tags", "text[]", 1009, false));

    @Test
    void createsTheTargetWithRedshiftTypesKeyAndSortKey() {
        assertThat(SQL.createTable(TARGET, COLUMNS, List.of("id"), null, false)).isEqualTo(
                "CREATE TABLE IF NOT EXISTS \"dw\".\"orders\" (\"id\" BIGINT NOT NULL, \"doc\" VARCHAR(65535),"
                        + " \"amount\" DECIMAL(12,2), \"at\" TIME, PRIMARY KEY (\"id\"))");
        assertThat(SQL.createTable(TARGET, WITH_ARRAY, List.of(), "id", true)).isEqualTo(
                "CREATE TABLE IF NOT EXISTS \"dw\".\"orders\" (\"id\" BIGINT NOT NULL, \"tags\" SUPER,"
                        + " \"migration_snapshot_date\" TIMESTAMPTZ) SORTKEY (\"id\")");
    }

    @Test
    void stagesInATemporaryTableTypedAsParquetHoldsIt() {
        assertThat(SQL.stageName(TARGET)).isEqualTo("caravan_stage_b1ef10d0");
        assertThat(SQL.snapshotName(TARGET)).isEqualTo("caravan_snapshot_b1ef10d0");
        assertThat(SQL.createStage("caravan_stage_b1ef10d0", COLUMNS)).isEqualTo(
                "CREATE TEMP TABLE \"caravan_stage_b1ef10d0\" (\"id\" BIGINT, \"doc\" VARCHAR(65535),"
                        + " \"amount\" DECIMAL(12,2), \"at\" VARCHAR(64))");
        assertThat(SQL.dropTable(STAGE)).isEqualTo("DROP TABLE IF EXISTS \"caravan_stage_b1ef10d0\"");
    }

    @Test
    void copiesParquetWithAnIamRoleOrAccessKeys() {
        assertThat(SQL.copyFromParquet(STAGE, "s3://stage-bucket/caravan-staging/shop/1/dw.orders/00000001.parquet",
                SQL.iamRole("arn:aws:iam::123456789012:role/RedshiftCopy"), COLUMNS)).isEqualTo(
                "COPY \"caravan_stage_b1ef10d0\" FROM"
                        + " 's3://stage-bucket/caravan-staging/shop/1/dw.orders/00000001.parquet'"
                        + " IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftCopy' FORMAT AS PARQUET");
        assertThat(SQL.copyFromParquet(STAGE, "s3://b/k.parquet", SQL.accessKeys("AKIAEXAMPLE", "se'cret"),
                WITH_ARRAY)).isEqualTo("COPY \"caravan_stage_b1ef10d0\" FROM 's3://b/k.parquet'"
                + " ACCESS_KEY_ID 'AKIAEXAMPLE' SECRET_ACCESS_KEY 'se''cret' FORMAT AS PARQUET SERIALIZETOJSON");
    }

    @Test
    void syncingDeletesThenInsertsCastingStagedTimes() {
        assertThat(SQL.mergeFromStage("dw", "orders", STAGE, COLUMNS, List.of("id"))).containsExactly(
                "DELETE FROM \"dw\".\"orders\" USING \"caravan_stage_b1ef10d0\""
                        + " WHERE \"orders\".\"id\" = \"caravan_stage_b1ef10d0\".\"id\"",
                "INSERT INTO \"dw\".\"orders\" (\"id\", \"doc\", \"amount\", \"at\") SELECT \"id\", \"doc\","
                        + " \"amount\", CAST(\"at\" AS TIME) FROM \"caravan_stage_b1ef10d0\"");
        assertThatThrownBy(() -> SQL.upsertFromStage(TARGET, STAGE, COLUMNS, List.of("id")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void loggingInsertsTheAbsentKeysOnly() {
        assertThat(SQL.insertAbsentFromStage(TARGET, STAGE, COLUMNS, List.of("id"))).isEqualTo(
                "INSERT INTO \"dw\".\"orders\" (\"id\", \"doc\", \"amount\", \"at\") SELECT s.\"id\", s.\"doc\","
                        + " s.\"amount\", CAST(s.\"at\" AS TIME) FROM \"caravan_stage_b1ef10d0\" s"
                        + " LEFT JOIN \"dw\".\"orders\" t ON t.\"id\" = s.\"id\" WHERE t.\"id\" IS NULL");
    }

    @Test
    void dumpingAppendsTheSnapshotStamped() {
        assertThat(SQL.appendSnapshot(TARGET, "\"caravan_snapshot_b1ef10d0\"", COLUMNS.subList(0, 2),
                SQL.literal("2026-11-21 22:00:00.5+00", "TIMESTAMPTZ"))).isEqualTo(
                "INSERT INTO \"dw\".\"orders\" (\"id\", \"doc\", \"migration_snapshot_date\") SELECT \"id\", \"doc\","
                        + " '2026-11-21 22:00:00.5+00'::TIMESTAMPTZ FROM \"caravan_snapshot_b1ef10d0\"");
    }

    @Test
    void locksSchemaAndColumns() {
        assertThat(SQL.lockTable(TARGET)).isEqualTo("LOCK \"dw\".\"orders\"");
        assertThat(SQL.createSchema("dw")).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"dw\"");
        assertThat(SQL.addColumn(TARGET, new Column("note", "character varying(10)", 1043, false)))
                .isEqualTo("ALTER TABLE \"dw\".\"orders\" ADD COLUMN \"note\" VARCHAR(40)");
        assertThat(SQL.utcSession()).isEqualTo("SET timezone TO 'UTC'");
    }

    @Test
    void mirroringComparesKeysAsText() {
        assertThat(SQL.keyText(COLUMNS.get(0))).isEqualTo("CAST(\"id\" AS VARCHAR(65535))");
        assertThat(SQL.keyText(new Column("code", "character(4)", 1042, true)))
                .isEqualTo("RTRIM(CAST(\"code\" AS VARCHAR(65535)))");
        assertThat(SQL.deleteKeys(TARGET, "k", 3)).isEqualTo("DELETE FROM \"dw\".\"orders\" WHERE k IN (?, ?, ?)");
        String digit6 = "STRPOS('0123456789abcdef', SUBSTRING(MD5(k), 6, 1)) - 1";
        assertThat(SQL.keysInBuckets(TARGET, "k", List.of(7, 4095))).isEqualTo("SELECT k FROM \"dw\".\"orders\""
                + " WHERE ((" + digit6 + ") * 256 + (STRPOS('0123456789abcdef', SUBSTRING(MD5(k), 7, 1)) - 1) * 16 + ("
                + "STRPOS('0123456789abcdef', SUBSTRING(MD5(k), 8, 1)) - 1)) IN (7, 4095)");
        assertThat(SQL.keyBuckets(TARGET, "k")).startsWith("SELECT ((" + digit6).contains(
                "COALESCE(SUM((CAST(STRPOS('0123456789abcdef', SUBSTRING(MD5(k), 9, 1)) - 1 AS BIGINT) * 268435456 + ",
                " * 1 - CASE WHEN (STRPOS('0123456789abcdef', SUBSTRING(MD5(k), 9, 1)) - 1) >= 8 THEN 4294967296 ELSE 0"
                        + " END)), 0) FROM \"dw\".\"orders\" GROUP BY 1");
    }
}
