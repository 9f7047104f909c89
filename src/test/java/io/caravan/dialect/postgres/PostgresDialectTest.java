package io.caravan.dialect.postgres;

import io.caravan.batch.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL the PostgreSQL dialect builds, asserted exactly. */
class PostgresDialectTest {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final List<Column> COLUMNS = List.of(
            new Column("id", "bigint", 20, true),
            new Column("Status", "text", 25, false),
            new Column("amount", "numeric(12,2)", 1700, false));

    @Test
    void quotesIdentifiersAndLiterals() {
        assertThat(SQL.qualified("sql_shop_dms", "Order \"Lines\"")).isEqualTo("\"sql_shop_dms\".\"Order \"\"Lines\"\"\"");
        assertThat(SQL.literal("O'Brien", "text")).isEqualTo("'O''Brien'::text");
        assertThat(SQL.literal(null, "bigint")).isEqualTo("NULL::bigint");
    }

    @Test
    void shouldBuildUpsertFromStage() {
        assertThat(SQL.upsertFromStage("\"dw\".\"orders\"", "\"orders__caravan_stage\"", COLUMNS, List.of("id")))
                .isEqualTo("INSERT INTO \"dw\".\"orders\" (\"id\", \"Status\", \"amount\") SELECT \"id\", \"Status\","
                        + " \"amount\" FROM \"orders__caravan_stage\" ON CONFLICT (\"id\") DO UPDATE SET"
                        + " \"Status\" = EXCLUDED.\"Status\", \"amount\" = EXCLUDED.\"amount\"");
    }

    @Test
    void upsertOfKeyOnlyTableDoesNothingOnConflict() {
        assertThat(SQL.upsertFromStage("t", "s", COLUMNS.subList(0, 1), List.of("id")))
                .isEqualTo("INSERT INTO t (\"id\") SELECT \"id\" FROM s ON CONFLICT (\"id\") DO NOTHING");
    }

    @Test
    void shouldBuildInsertIfAbsentForLogging() {
        assertThat(SQL.insertAbsentFromStage("t", "s", COLUMNS, List.of("id")))
                .isEqualTo("INSERT INTO t (\"id\", \"Status\", \"amount\") SELECT \"id\", \"Status\", \"amount\""
                        + " FROM s ON CONFLICT (\"id\") DO NOTHING");
    }

    @Test
    void keysetConditionComparesBookmarkAndKeyAsOneRow() {
        assertThat(SQL.after("\"updated_at\"", "'2024-05-01 10:00:00+00'::timestamp with time zone", "\"id\"",
                "'42'::bigint")).isEqualTo("(\"updated_at\", \"id\") > ('2024-05-01 10:00:00+00'::timestamp with"
                + " time zone, '42'::bigint)");
        assertThat(SQL.select("\"public\".\"orders\"", List.of("\"id\""), List.of("a", "b"), List.of("\"id\"")))
                .isEqualTo("SELECT \"id\" FROM \"public\".\"orders\" WHERE a AND b ORDER BY \"id\"");
        assertThat(SQL.copyOut("SELECT 1")).isEqualTo("COPY (SELECT 1) TO STDOUT (FORMAT binary)");
    }

    @Test
    void shouldBuildPartitionedTableAndMonths() {
        assertThat(SQL.createTable("\"dw\".\"orders\"", COLUMNS, List.of("id", "amount"), "amount", false))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"dw\".\"orders\" (\"id\" bigint NOT NULL, \"Status\" text,"
                        + " \"amount\" numeric(12,2), UNIQUE (\"id\", \"amount\")) PARTITION BY RANGE (\"amount\")");
        assertThat(SQL.createMonthPartition("\"dw\".\"o\"", "\"dw\".\"o_p2024_05\"", "2024-05-01", "2024-06-01",
                "timestamp with time zone")).isEqualTo("CREATE TABLE IF NOT EXISTS \"dw\".\"o_p2024_05\" PARTITION OF"
                + " \"dw\".\"o\" FOR VALUES FROM ('2024-05-01'::timestamp with time zone) TO"
                + " ('2024-06-01'::timestamp with time zone)");
        assertThat(SQL.createDefaultPartition("\"dw\".\"o\"", "\"dw\".\"o_default\""))
                .isEqualTo("CREATE TABLE IF NOT EXISTS \"dw\".\"o_default\" PARTITION OF \"dw\".\"o\" DEFAULT");
    }

    @Test
    void strictFalseReadsTimestamptzAsUtcAndCastsOthers() {
        assertThat(SQL.selectColumn("ts", null, true)).isEqualTo("(\"ts\" AT TIME ZONE 'UTC') AS \"ts\"");
        assertThat(SQL.selectColumn("doc", "text", false)).isEqualTo("\"doc\"::text AS \"doc\"");
        assertThat(SQL.selectColumn("id", null, false)).isEqualTo("\"id\"");
    }

    @Test
    void mirrorBucketsHashTheKeyText() {
        assertThat(SQL.keyBuckets("t", "\"id\"")).isEqualTo("SELECT (('x' || substr(md5(\"id\"::text), 1, 8))::bit(32)::int"
                + " & 4095) AS b, count(*), coalesce(sum(('x' || substr(md5(\"id\"::text), 9, 8))::bit(32)::int::bigint),"
                + " 0) FROM t GROUP BY 1");
        assertThat(SQL.deleteKeys("t", "id", "uuid"))
                .isEqualTo("DELETE FROM t WHERE \"id\" = ANY (CAST(? AS text[])::uuid[])");
    }

    @Test
    void targetWritersAndLockDependOnTheTargetAlone() {
        assertThat(SQL.targetLockKey("dw", "sales", "orders")).isEqualTo("caravan target \"dw\".\"sales\".\"orders\"");
        assertThat(SQL.ownerComment("shop", "public.orders", "mirroring"))
                .isEqualTo("caravan: job=shop table=public.orders mode=mirroring");
        assertThat(SQL.commentOnTable("\"dw\".\"orders\"", "O'Brien's\ncaravan: job=shop"))
                .isEqualTo("COMMENT ON TABLE \"dw\".\"orders\" IS 'O''Brien''s\ncaravan: job=shop'");
    }

    @Test
    void batchCommitsSayWhetherTheyWaitForTheDisk() {
        assertThat(SQL.synchronousCommit()).isEqualTo("SET LOCAL synchronous_commit TO on");
        assertThat(SQL.asynchronousCommit()).isEqualTo("SET LOCAL synchronous_commit TO off");
        assertThat(SQL.assignTransactionId()).isEqualTo("SELECT txid_current()");
    }
}
