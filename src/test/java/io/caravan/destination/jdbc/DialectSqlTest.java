package io.caravan.destination.jdbc;

import io.caravan.batch.Column;
import io.caravan.dialect.h2.H2Dialect;
import io.caravan.dialect.mysql.MariaDbDialect;
import io.caravan.dialect.oracle.OracleDialect;
import io.caravan.dialect.sqlite.SqliteDialect;
import io.caravan.dialect.sqlserver.SqlServerDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exact SQL of every JDBC dialect (for Oracle and SQL Server, which no test server runs, this is the proof of the
 * text; {@link OracleOnH2IT} and {@link SqlServerOnH2Test} execute it on H2), the type table of the README, and the
 * parsing of PostgreSQL types and key texts.
 */
class DialectSqlTest {

    private static final List<Column> COLUMNS = List.of(new Column("id", "bigint", 20, true),
            new Column("status", "text", 25, true), new Column("amount", "numeric(12,2)", 1700, false));
    private static final List<String> KEY = List.of("id");

    /** The README's "Type mapping per destination" table: PostgreSQL, MariaDB/MySQL, SQLite, H2, Oracle, SQL Server. */
    private static final String[][] TYPE_TABLE = {
        {"boolean", "BOOLEAN", "INTEGER", "BOOLEAN", "NUMBER(1)", "BIT"},
        {"smallint", "SMALLINT", "INTEGER", "SMALLINT", "NUMBER(5)", "SMALLINT"},
        {"integer", "INT", "INTEGER", "INTEGER", "NUMBER(10)", "INT"},
        {"bigint", "BIGINT", "INTEGER", "BIGINT", "NUMBER(19)", "BIGINT"},
        {"numeric(12,2)", "DECIMAL(12,2)", "TEXT", "NUMERIC(12, 2)", "NUMBER(12, 2)", "DECIMAL(12, 2)"},
        {"numeric", "DECIMAL(65,30)", "TEXT", "DECFLOAT", "NUMBER", "DECIMAL(38, 10)"},
        {"numeric(80,2)", "LONGTEXT", "TEXT", "NUMERIC(80, 2)", "CLOB", "NVARCHAR(MAX)"},
        {"real", "FLOAT", "REAL", "REAL", "BINARY_FLOAT", "REAL"},
        {"double precision", "DOUBLE", "REAL", "DOUBLE PRECISION", "BINARY_DOUBLE", "FLOAT"},
        {"text", "LONGTEXT", "TEXT", "CHARACTER VARYING", "CLOB", "NVARCHAR(MAX)"},
        {"character varying(20)", "VARCHAR(20)", "TEXT", "CHARACTER VARYING(20)", "VARCHAR2(20 CHAR)", "NVARCHAR(20)"},
        {"character varying(5000)", "LONGTEXT", "TEXT", "CHARACTER VARYING(5000)", "CLOB", "NVARCHAR(MAX)"},
        {"character(3)", "CHAR(3)", "TEXT", "CHARACTER(3)", "CHAR(3 CHAR)", "NCHAR(3)"},
        {"uuid", "CHAR(36)", "TEXT", "UUID", "VARCHAR2(36 CHAR)", "UNIQUEIDENTIFIER"},
        {"jsonb", "JSON", "TEXT", "CHARACTER LARGE OBJECT", "CLOB", "NVARCHAR(MAX)"},
        {"json", "JSON", "TEXT", "CHARACTER LARGE OBJECT", "CLOB", "NVARCHAR(MAX)"},
        {"bytea", "LONGBLOB", "BLOB", "BINARY LARGE OBJECT", "BLOB", "VARBINARY(MAX)"},
        {"date", "DATE", "TEXT", "DATE", "DATE", "DATE"},
        {"timestamp without time zone", "DATETIME(6)", "TEXT", "TIMESTAMP(6)", "TIMESTAMP(6)", "DATETIME2(6)"},
        {"timestamp(3) without time zone", "DATETIME(3)", "TEXT", "TIMESTAMP(3)", "TIMESTAMP(3)", "DATETIME2(3)"},
        {"timestamp with time zone", "DATETIME(6)", "TEXT", "TIMESTAMP(6) WITH TIME ZONE",
            "TIMESTAMP(6) WITH TIME ZONE", "DATETIMEOFFSET(6)"},
        {"time without time zone", "TIME(6)", "TEXT", "TIME(6)", "VARCHAR2(15 CHAR)", "TIME(6)"},
        {"time with time zone", "VARCHAR(32)", "TEXT", "TIME(6) WITH TIME ZONE", "VARCHAR2(32 CHAR)", "NVARCHAR(32)"},
        {"interval", "VARCHAR(64)", "TEXT", "CHARACTER VARYING", "VARCHAR2(64 CHAR)", "NVARCHAR(64)"},
        {"integer[]", "JSON", "TEXT", "CHARACTER LARGE OBJECT", "CLOB", "NVARCHAR(MAX)"},
        {"inet", "LONGTEXT", "TEXT", "CHARACTER VARYING", "CLOB", "NVARCHAR(MAX)"},
    };

    /** Key columns where the type differs from a plain column's: indexable text. */
    private static final String[][] KEY_TABLE = {
        {"text", "VARCHAR(768)", "TEXT", "CHARACTER VARYING", "VARCHAR2(1000 CHAR)", "NVARCHAR(450)"},
        {"character varying(5000)", "VARCHAR(768)", "TEXT", "CHARACTER VARYING(5000)", "VARCHAR2(1000 CHAR)",
            "NVARCHAR(450)"},
    };

    private static final List<JdbcDialect> TABLE_ORDER = List.of(MariaDbDialect.MARIADB, SqliteDialect.INSTANCE,
            H2Dialect.INSTANCE, OracleDialect.INSTANCE, SqlServerDialect.INSTANCE);

    @Test
    void typesFollowTheReadmeTable() {
        for (String[] row : TYPE_TABLE) {
            for (int i = 0; i < TABLE_ORDER.size(); i++) {
                assertThat(TABLE_ORDER.get(i).columnType(PgType.parse(row[0]), false))
                        .as(row[0] + " in " + TABLE_ORDER.get(i).name()).isEqualTo(row[i + 1]);
            }
            assertThat(MariaDbDialect.MYSQL.columnType(PgType.parse(row[0]), false)).isEqualTo(row[1]);
        }
        for (String[] row : KEY_TABLE) {
            for (int i = 0; i < TABLE_ORDER.size(); i++) {
                assertThat(TABLE_ORDER.get(i).columnType(PgType.parse(row[0]), true))
                        .as(row[0] + " key in " + TABLE_ORDER.get(i).name()).isEqualTo(row[i + 1]);
            }
        }
    }

    @Test
    void oracleStatements() {
        OracleDialect sql = OracleDialect.INSTANCE;
        String t = sql.qualified("DW", "orders");
        String s = sql.stageName("DW", "orders");
        String k = sql.keyStageName("DW", "orders");
        assertThat(sql.createSchema("DW")).isEmpty();
        assertThat(sql.sharedStageDefinition()).isTrue();
        assertThat(sql.createTable(t, COLUMNS, KEY)).isEqualTo("CREATE TABLE \"DW\".\"orders\" (\"id\" NUMBER(19) NOT"
                + " NULL, \"status\" CLOB NOT NULL, \"amount\" NUMBER(12, 2), PRIMARY KEY (\"id\"))");
        assertThat(sql.createStage(s, t, COLUMNS)).containsExactly("CREATE GLOBAL TEMPORARY TABLE"
                + " \"DW\".\"orders__caravan_stage\" (\"id\" NUMBER(19) NOT NULL, \"status\" CLOB NOT NULL, \"amount\""
                + " NUMBER(12, 2)) ON COMMIT DELETE ROWS");
        assertThat(sql.createKeyStage(k, t, COLUMNS.get(0))).containsExactly("CREATE GLOBAL TEMPORARY TABLE"
                + " \"DW\".\"orders__caravan_keys\" (\"k\" NUMBER(19) NOT NULL) ON COMMIT DELETE ROWS");
        assertThat(sql.insertRow(s, COLUMNS)).isEqualTo("INSERT INTO \"DW\".\"orders__caravan_stage\" (\"id\","
                + " \"status\", \"amount\") VALUES (?, ?, ?)");
        assertThat(sql.upsertFromStage(t, s, COLUMNS, KEY)).isEqualTo("MERGE INTO \"DW\".\"orders\" t USING"
                + " \"DW\".\"orders__caravan_stage\" s ON (t.\"id\" = s.\"id\") WHEN MATCHED THEN UPDATE SET"
                + " t.\"status\" = s.\"status\", t.\"amount\" = s.\"amount\" WHEN NOT MATCHED THEN INSERT (\"id\","
                + " \"status\", \"amount\") VALUES (s.\"id\", s.\"status\", s.\"amount\")");
        assertThat(sql.upsertFromStage(t, s, COLUMNS.subList(0, 1), KEY)).isEqualTo("MERGE INTO \"DW\".\"orders\" t"
                + " USING \"DW\".\"orders__caravan_stage\" s ON (t.\"id\" = s.\"id\") WHEN NOT MATCHED THEN INSERT"
                + " (\"id\") VALUES (s.\"id\")");
        assertThat(sql.insertAbsentFromStage(t, s, COLUMNS, KEY)).isEqualTo("MERGE INTO \"DW\".\"orders\" t USING"
                + " \"DW\".\"orders__caravan_stage\" s ON (t.\"id\" = s.\"id\") WHEN NOT MATCHED THEN INSERT (\"id\","
                + " \"status\", \"amount\") VALUES (s.\"id\", s.\"status\", s.\"amount\")");
        assertThat(sql.appendSnapshot(t, sql.qualified("DW", "orders__caravan_snapshot"), COLUMNS)).isEqualTo(
                "INSERT INTO \"DW\".\"orders\" (\"id\", \"status\", \"amount\", \"migration_snapshot_date\") SELECT"
                        + " \"id\", \"status\", \"amount\", ? FROM \"DW\".\"orders__caravan_snapshot\"");
        assertThat(sql.deleteAbsentKeys(t, k, "id")).isEqualTo("DELETE FROM \"DW\".\"orders\" t WHERE NOT EXISTS"
                + " (SELECT 1 FROM \"DW\".\"orders__caravan_keys\" ks WHERE ks.\"k\" = t.\"id\")");
        assertThat(sql.addColumn(t, COLUMNS.get(2))).isEqualTo("ALTER TABLE \"DW\".\"orders\" ADD (\"amount\""
                + " NUMBER(12, 2))");
        assertThat(sql.dropTable(t)).isEqualTo("DROP TABLE \"DW\".\"orders\"");
        assertThat(sql.jdbcUrl(spec("oracle", "db.internal:1521", "ORCLPDB1")))
                .isEqualTo("jdbc:oracle:thin:@//db.internal:1521/ORCLPDB1");
    }

    @Test
    void sqlServerStatements() {
        SqlServerDialect sql = SqlServerDialect.INSTANCE;
        String t = sql.qualified("dw", "orders");
        String s = sql.stageName("dw", "orders");
        String k = sql.keyStageName("dw", "orders");
        assertThat(sql.createSchema("dw")).containsExactly("IF SCHEMA_ID(N'dw') IS NULL EXEC('CREATE SCHEMA [dw]')");
        assertThat(sql.createSchema("o'k")).containsExactly(
                "IF SCHEMA_ID(N'o''k') IS NULL EXEC('CREATE SCHEMA [o''k]')");
        assertThat(sql.createTable(t, COLUMNS, KEY)).isEqualTo("CREATE TABLE [dw].[orders] ([id] BIGINT NOT NULL,"
                + " [status] NVARCHAR(MAX) NOT NULL, [amount] DECIMAL(12, 2), PRIMARY KEY ([id]))");
        assertThat(sql.createStage(s, t, COLUMNS)).containsExactly(
                "SELECT TOP 0 [id], [status], [amount] INTO [#orders__caravan_stage] FROM [dw].[orders]");
        assertThat(sql.createKeyStage(k, t, COLUMNS.get(0))).containsExactly(
                "SELECT TOP 0 [id] AS [k] INTO [#orders__caravan_keys] FROM [dw].[orders]");
        assertThat(sql.insertRow(s, COLUMNS)).isEqualTo(
                "INSERT INTO [#orders__caravan_stage] ([id], [status], [amount]) VALUES (?, ?, ?)");
        assertThat(sql.upsertFromStage(t, s, COLUMNS, KEY)).isEqualTo("MERGE INTO [dw].[orders] WITH (HOLDLOCK) AS t"
                + " USING [#orders__caravan_stage] AS s ON (t.[id] = s.[id]) WHEN MATCHED THEN UPDATE SET [status] ="
                + " s.[status], [amount] = s.[amount] WHEN NOT MATCHED THEN INSERT ([id], [status], [amount]) VALUES"
                + " (s.[id], s.[status], s.[amount]);");
        assertThat(sql.insertAbsentFromStage(t, s, COLUMNS, KEY)).isEqualTo("MERGE INTO [dw].[orders] WITH (HOLDLOCK)"
                + " AS t USING [#orders__caravan_stage] AS s ON (t.[id] = s.[id]) WHEN NOT MATCHED THEN INSERT ([id],"
                + " [status], [amount]) VALUES (s.[id], s.[status], s.[amount]);");
        assertThat(sql.appendSnapshot(t, sql.qualified("dw", "orders__caravan_snapshot"), COLUMNS)).isEqualTo(
                "INSERT INTO [dw].[orders] ([id], [status], [amount], [migration_snapshot_date]) SELECT [id], [status],"
                        + " [amount], ? FROM [dw].[orders__caravan_snapshot]");
        assertThat(sql.deleteAbsentKeys(t, k, "id")).isEqualTo(
                "DELETE FROM [dw].[orders] WHERE [id] NOT IN (SELECT [k] FROM [#orders__caravan_keys])");
        assertThat(sql.addColumn(t, COLUMNS.get(2))).isEqualTo("ALTER TABLE [dw].[orders] ADD [amount] DECIMAL(12, 2)");
        assertThat(sql.dropTable(t)).isEqualTo("DROP TABLE IF EXISTS [dw].[orders]");
        assertThat(sql.quote("a]b")).isEqualTo("[a]]b]");
        assertThat(sql.jdbcUrl(spec("sqlserver", "db.internal:1433", "dw")))
                .isEqualTo("jdbc:sqlserver://db.internal:1433;databaseName=dw");
    }

    @Test
    void mariaDbStatements() {
        MariaDbDialect sql = MariaDbDialect.MARIADB;
        String t = sql.qualified("dw", "orders");
        String s = sql.stageName("dw", "orders");
        assertThat(sql.createSchema("dw")).containsExactly(
                "CREATE DATABASE IF NOT EXISTS `dw` CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        assertThat(MariaDbDialect.MYSQL.createSchema("dw")).containsExactly(
                "CREATE DATABASE IF NOT EXISTS `dw` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        assertThat(sql.createTable(t, COLUMNS, KEY)).isEqualTo("CREATE TABLE `dw`.`orders` (`id` BIGINT NOT NULL,"
                + " `status` LONGTEXT NOT NULL, `amount` DECIMAL(12,2), PRIMARY KEY (`id`)) DEFAULT CHARSET=utf8mb4"
                + " COLLATE=utf8mb4_nopad_bin");
        assertThat(sql.createStage(s, t, COLUMNS)).containsExactly("CREATE TEMPORARY TABLE IF NOT EXISTS"
                + " `dw`.`orders__caravan_stage` (`id` BIGINT NOT NULL, `status` LONGTEXT NOT NULL, `amount`"
                + " DECIMAL(12,2)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin");
        assertThat(sql.upsertFromStage(t, s, COLUMNS, KEY)).isEqualTo("INSERT INTO `dw`.`orders` (`id`, `status`,"
                + " `amount`) SELECT `id`, `status`, `amount` FROM `dw`.`orders__caravan_stage` ON DUPLICATE KEY UPDATE"
                + " `status` = VALUES(`status`), `amount` = VALUES(`amount`)");
        assertThat(sql.upsertFromStage(t, s, COLUMNS.subList(0, 1), KEY)).isEqualTo("INSERT INTO `dw`.`orders`"
                + " (`id`) SELECT `id` FROM `dw`.`orders__caravan_stage` ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)");
        assertThat(sql.jdbcUrl(spec("mariadb", "127.0.0.1:3306", "shop"))).isEqualTo("jdbc:mariadb://127.0.0.1:3306/shop");
        assertThat(sql.jdbcUrl(spec("mysql", "jdbc:mysql://db:3306/shop?sslMode=trust", null)))
                .isEqualTo("jdbc:mariadb://db:3306/shop?sslMode=trust");
        assertThat(sql.targetSchema(spec("mariadb", "h", "shop"))).isEqualTo("shop");
    }

    @Test
    void sqliteAndH2Statements() {
        SqliteDialect lite = SqliteDialect.INSTANCE;
        assertThat(lite.qualified("ignored", "orders")).isEqualTo("\"orders\"");
        assertThat(lite.upsertFromStage("\"orders\"", "\"s\"", COLUMNS, KEY)).isEqualTo("INSERT INTO \"orders\""
                + " (\"id\", \"status\", \"amount\") SELECT \"id\", \"status\", \"amount\" FROM \"s\" WHERE true ON"
                + " CONFLICT (\"id\") DO UPDATE SET \"status\" = excluded.\"status\", \"amount\" = excluded.\"amount\"");
        assertThat(lite.insertAbsentFromStage("\"orders\"", "\"s\"", COLUMNS, KEY)).isEqualTo("INSERT INTO"
                + " \"orders\" (\"id\", \"status\", \"amount\") SELECT \"id\", \"status\", \"amount\" FROM \"s\" WHERE"
                + " true ON CONFLICT (\"id\") DO NOTHING");
        H2Dialect h2 = H2Dialect.INSTANCE;
        assertThat(h2.upsertFromStage("\"dw\".\"orders\"", "\"s\"", COLUMNS, KEY)).isEqualTo("MERGE INTO"
                + " \"dw\".\"orders\" (\"id\", \"status\", \"amount\") KEY (\"id\") SELECT \"id\", \"status\","
                + " \"amount\" FROM \"s\"");
        assertThat(h2.insertAbsentFromStage("\"dw\".\"orders\"", "\"s\"", COLUMNS, KEY)).isEqualTo("INSERT INTO"
                + " \"dw\".\"orders\" (\"id\", \"status\", \"amount\") SELECT s.\"id\", s.\"status\", s.\"amount\""
                + " FROM \"s\" s WHERE NOT EXISTS (SELECT 1 FROM \"dw\".\"orders\" t WHERE t.\"id\" = s.\"id\")");
    }

    @Test
    void longDerivedNamesAreCutWithAHashTag() {
        String base = "a".repeat(60);
        String stage = MariaDbDialect.MARIADB.derivedName(base, "__caravan_stage");
        assertThat(stage).hasSize(64).endsWith("__caravan_stage").startsWith("a".repeat(40) + "_");
        assertThat(MariaDbDialect.MARIADB.derivedName(base + "b", "__caravan_stage")).isNotEqualTo(stage).hasSize(64);
        assertThat(MariaDbDialect.MARIADB.derivedName("orders", "__caravan_stage")).isEqualTo("orders__caravan_stage");
    }

    @Test
    void postgresTypesAreTakenApart() {
        assertThat(PgType.parse("numeric(12,2)")).isEqualTo(new PgType(PgType.Kind.NUMERIC, -1, 12, 2));
        assertThat(PgType.parse("numeric(5)")).isEqualTo(new PgType(PgType.Kind.NUMERIC, -1, 5, 0));
        assertThat(PgType.parse("numeric")).isEqualTo(new PgType(PgType.Kind.NUMERIC, -1, -1, -1));
        assertThat(PgType.parse("character varying(20)")).isEqualTo(new PgType(PgType.Kind.VARCHAR, 20, -1, -1));
        assertThat(PgType.parse("character varying").kind()).isEqualTo(PgType.Kind.TEXT);
        assertThat(PgType.parse("timestamp(3) with time zone")).isEqualTo(new PgType(PgType.Kind.TIMESTAMPTZ, -1, 3,
                -1));
        assertThat(PgType.parse("timestamp without time zone").precision()).isEqualTo(6);
        assertThat(PgType.parse("time(0) with time zone")).isEqualTo(new PgType(PgType.Kind.TIMETZ, -1, 0, -1));
        assertThat(PgType.parse("interval day to second").kind()).isEqualTo(PgType.Kind.INTERVAL);
        assertThat(PgType.parse("character varying(20)[]").kind()).isEqualTo(PgType.Kind.ARRAY);
        assertThat(PgType.parse("\"char\"").kind()).isEqualTo(PgType.Kind.TEXT);
        assertThat(PgType.parse("inet").kind()).isEqualTo(PgType.Kind.OTHER);
    }

    @Test
    void keysInTheSourceTextFormBecomeValues() {
        assertThat(JdbcDestination.keyValue(PgType.parse("bigint"), "42")).isEqualTo(42L);
        assertThat(JdbcDestination.keyValue(PgType.parse("uuid"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                .isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(JdbcDestination.keyValue(PgType.parse("numeric(5,1)"), "1.5")).isEqualTo(new BigDecimal("1.5"));
        assertThat(JdbcDestination.keyValue(PgType.parse("timestamp with time zone"), "2024-05-01 12:00:00.5+02"))
                .isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 500_000_000, ZoneOffset.ofHours(2)));
        assertThat(JdbcDestination.timestamptz("2024-05-01 12:00:00+05:30"))
                .isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(JdbcDestination.timestamptz("2024-05-01 12:00:00-03"))
                .isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-3)));
        assertThat(JdbcDestination.keyValue(PgType.parse("text"), "abc")).isEqualTo("abc");
    }

    @Test
    void arraysAndMapsBecomeJson() {
        assertThat(JdbcDialect.json(java.util.Arrays.asList(1, null, 3))).isEqualTo("[1,null,3]");
        assertThat(JdbcDialect.json(List.of(List.of("a,b", "c\"d"), List.of(new BigDecimal("1.50")))))
                .isEqualTo("[[\"a,b\",\"c\\\"d\"],[1.50]]");
        assertThat(JdbcDialect.json(List.of(Double.NaN, java.time.LocalDate.of(2024, 2, 29))))
                .isEqualTo("[\"NaN\",\"2024-02-29\"]");
    }

    @Test
    void everyDestinationTypeHasItsDialect() {
        assertThat(JdbcDialects.types()).containsExactly("mariadb", "mysql", "sqlite", "h2", "oracle", "sqlserver");
        assertThat(JdbcDialects.forType("mysql")).isSameAs(MariaDbDialect.MYSQL);
        assertThatThrownBy(() -> JdbcDialects.forType("db2")).hasMessage(
                "no JDBC dialect for destination_type 'db2'; allowed: mariadb, mysql, sqlite, h2, oracle, sqlserver");
    }

    private static DestinationSpec spec(String type, String url, String db) {
        return new DestinationSpec("dw", type, url, db, "", Secret.NONE, null);
    }
}
