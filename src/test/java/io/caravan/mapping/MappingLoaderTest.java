package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingLoaderTest {

    /** A valid mapping; line numbers below are counted from 1 at {@code source:}. */
    static final String SHOP = """
            source:
              source_type: pgsql
              url: localhost:5432
              db_name: shop
              username: caravan
              password: ${env:SHOP_PG_PASSWORD}
            destination:
              warehouse:
                destination_type: pgsql
                url: jdbc:postgresql://dw.example.com:5432/dw
                db_name: dw
            tables:
              - table_name: public.orders
                cron: self-managed
                mode: syncing
                bookmark: updated_at
                primary_key: id
                primary_key_datatype: int
            """;

    @TempDir
    Path dir;

    @Test
    void validMappingGetsDefaults() throws IOException {
        Path file = write("shop.yaml", SHOP);

        JobMapping job = MappingLoader.load(file);

        assertThat(job.name()).isEqualTo("shop");
        assertThat(job.file()).isEqualTo(file);
        assertThat(job.source()).isEqualTo(new SourceSpec("pgsql", "localhost:5432", "shop", "caravan",
                new Secret("${env:SHOP_PG_PASSWORD}"), null));
        assertThat(job.destinations()).containsOnlyKeys("warehouse");
        assertThat(job.destinations().get("warehouse")).isEqualTo(new DestinationSpec("warehouse", "pgsql",
                "jdbc:postgresql://dw.example.com:5432/dw", "dw", "", Secret.NONE, "sql_shop_dms"));
        assertThat(job.tables()).containsExactly(new TableSpec("public.orders", "self-managed", Mode.SYNCING, 10000,
                "updated_at", false, "id", KeyType.INT, null, PartitionFormat.STR, Lag.NONE, Lag.NONE, true,
                null, null));
        assertThat(job.processDict()).isNull();
        assertThat(job.getTableName()).isNull();
    }

    @Test
    void everyTableKeyIsRead() throws IOException {
        Path file = write("full.yaml", SHOP.replace("    primary_key_datatype: int\n", """
                    primary_key_datatype: uuid
                    batch_size: 500
                    improper_bookmarks: true
                    partition_col: created_at
                    partition_col_format: datetime
                    buffer_updation_lag:
                      hours: 2
                    grace_updation_lag: {days: 1, minutes: 30}
                    strict: false
                    process_dict: com.example.shop.OrderProcessor
                    get_table_name: com.example.shop.Tables
                """) + "process_dict: com.example.Identity\n");

        JobMapping job = MappingLoader.load(file);

        assertThat(job.tables().get(0)).isEqualTo(new TableSpec("public.orders", "self-managed", Mode.SYNCING, 500,
                "updated_at", true, "id", KeyType.UUID, "created_at", PartitionFormat.DATETIME, new Lag(0, 2, 0),
                new Lag(1, 0, 30), false, "com.example.shop.OrderProcessor", "com.example.shop.Tables"));
        assertThat(job.processDict()).isEqualTo("com.example.Identity");
    }

    @Test
    void unknownKeyNamesTheNearestKnownKey() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("    bookmark: updated_at", "    bookmrk: updated_at"));

        assertProblems(file,
                file + ":13:5 tables[0].bookmark: required when mode is syncing; "
                        + "add bookmark: <column set to now() on every change, e.g. updated_at>",
                file + ":16:5 tables[0].bookmrk: unknown key; did you mean 'bookmark'?");
    }

    @Test
    void unknownKeyFarFromAllListsTheAllowedKeys() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("  username: caravan", "  colour: blue"));

        assertProblems(file, file + ":5:3 source.colour: unknown key; allowed keys: source_type, url, db_name, "
                + "username, password, init_sql");
    }

    @Test
    void missingRequiredKeysPointAtTheEnclosingMap() throws IOException {
        Path file = write("shop.yaml", """
                source:
                  url: localhost
                destination:
                  warehouse:
                    destination_type: pgsql
                tables:
                  - table_name: orders
                    mode: dumping
                """);

        assertProblems(file,
                file + ":2:3 source.source_type: missing required key; add source_type: one of pgsql, mysql, mariadb,"
                        + " oracle, sqlserver, sqlite, h2, jdbc, mongo, kafka, api",
                file + ":2:3 source.db_name: missing required key; add db_name: <source database name>",
                file + ":5:5 destination.warehouse.url: missing required key; "
                        + "add url: host, host:port, jdbc:postgresql://host[:port]/db or embedded",
                file + ":5:5 destination.warehouse.db_name: missing required key; "
                        + "add db_name: <destination database name>",
                file + ":7:5 tables[0].cron: missing required key; add cron: self-managed or a cron expression");
    }

    @Test
    void missingTopLevelKeysPointAtTheFileStart() throws IOException {
        Path file = write("empty-map.yaml", "process_dict: com.example.P\n");

        assertProblems(file,
                file + ":1:1 source: missing required key; add source: with source_type, url and db_name",
                file + ":1:1 destination: missing required key; add destination: with at least one named destination",
                file + ":1:1 tables: missing required key; add tables: with at least one table");
    }

    @Test
    void emptyValuesPointAtTheirKey() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("db_name: shop", "db_name:").replace("mode: syncing", "mode: ~"));

        assertProblems(file,
                file + ":4:3 source.db_name: missing value; add db_name: <source database name>",
                file + ":15:5 tables[0].mode: missing value; add mode: one of dumping, logging, syncing, mirroring");
    }

    @Test
    void emptyDestinationsTablesAndFile() throws IOException {
        Path lists = write("lists.yaml",
                SHOP.substring(0, SHOP.indexOf("destination:")) + "destination: {}\ntables: []\n");
        Path empty = write("empty.yaml", "# nothing yet\n");

        assertProblems(lists,
                lists + ":7:14 destination: at least one destination is required; "
                        + "add a named destination with destination_type, url and db_name",
                lists + ":8:9 tables: at least one table is required; add a table with table_name, cron and mode");
        assertProblems(empty, empty + ":1:1 the file is empty; write source, destination and tables");
    }

    @Test
    void wrongShapesAreNamed() throws IOException {
        Path file = write("shop.yaml", SHOP + """
                    partition_col: true
                    buffer_updation_lag: 2
                    process_dict: not a class
                """);

        assertProblems(file,
                file + ":19:20 tables[0].partition_col: expected a column name or false (got 'true'); "
                        + "write the column name, or false for none",
                file + ":20:26 tables[0].buffer_updation_lag: expected a map (got '2'); "
                        + "write days, hours and/or minutes under buffer_updation_lag",
                file + ":21:19 tables[0].process_dict: expected a Java class name (got 'not a class'); "
                        + "write a fully qualified class name, e.g. com.example.shop.OrderProcessor");
    }

    @Test
    void unknownModeListsTheAllowedModes() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("mode: syncing", "mode: mirror"));

        assertProblems(file, file + ":15:11 tables[0].mode: unknown mode (got 'mirror'); "
                + "allowed: dumping, logging, syncing, mirroring");
    }

    @Test
    void unknownSourceTypeListsEveryType() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("source_type: pgsql", "source_type: cassandra"));

        assertProblems(file, file + ":2:16 source.source_type: unknown source type (got 'cassandra'); allowed: pgsql,"
                + " mysql, mariadb, oracle, sqlserver, sqlite, h2, jdbc, mongo, kafka, api");
    }

    @Test
    void batchSizeMustBeAWholeNumberOfOneOrMore() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("    bookmark:", "    batch_size: \"10000\"\n    bookmark:")
                + "  - table_name: items\n    cron: self-managed\n    mode: dumping\n    batch_size: 0\n");

        assertProblems(file,
                file + ":16:17 tables[0].batch_size: expected a whole number (got '10000'); "
                        + "write a whole number of 1 or more, e.g. 10000",
                file + ":23:17 tables[1].batch_size: must be 1 or more (got '0'); "
                        + "write a whole number of 1 or more, e.g. 10000");
    }

    @Test
    void syncingWithoutBookmarkOrKeys() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("    bookmark: updated_at\n", "")
                .replace("    primary_key: id\n", "").replace("    primary_key_datatype: int\n", ""));

        assertProblems(file,
                file + ":13:5 tables[0].bookmark: required when mode is syncing; "
                        + "add bookmark: <column set to now() on every change, e.g. updated_at>",
                file + ":13:5 tables[0].primary_key: required when mode is syncing; "
                        + "add primary_key: <unique key column, e.g. id>",
                file + ":13:5 tables[0].primary_key_datatype: required when mode is syncing; "
                        + "add primary_key_datatype: one of str, uuid, int, datetime");
    }

    @Test
    void dumpingNeedsNoBookmarkNorKey() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("mode: syncing", "mode: dumping")
                .replace("    primary_key: id\n", "").replace("    primary_key_datatype: int\n", ""));

        TableSpec table = MappingLoader.load(file).tables().get(0);

        assertThat(table.mode()).isEqualTo(Mode.DUMPING);
        assertThat(table.bookmark()).isNull();
        assertThat(table.primaryKey()).isNull();
        assertThat(table.primaryKeyDatatype()).isNull();
    }

    @Test
    void badCronInQuartzAndSeedForms() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("cron: self-managed", "cron: 0 0 25 * * ?")
                + "  - table_name: items\n    cron: '* * * 2 * 7-19 */1 0'\n    mode: dumping\n"
                + "  - table_name: refunds\n    cron: '*/5 * * * *'\n    mode: dumping\n");

        String forms = "write self-managed, a Quartz expression (second minute hour day month day_of_week [year]) or"
                + " the seed's 8 fields (year month day week day_of_week hour minute second)";
        assertProblems(file,
                file + ":14:11 tables[0].cron: not a valid Quartz expression: Hour values must be between 0 and 23"
                        + " (got '0 0 25 * * ?'); " + forms,
                file + ":20:11 tables[1].cron: the week field (4th) is not supported; write '*'"
                        + " (got '* * * 2 * 7-19 */1 0'); " + forms,
                file + ":23:11 tables[2].cron: expected 6 or 7 fields (Quartz) or 8 (seed form), found 5"
                        + " (got '*/5 * * * *'); " + forms);
    }

    @Test
    void seedCronIsKeptAsWrittenAndConvertible() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("cron: self-managed", "cron: '* * * * * 7-19 */1 0'"));

        TableSpec table = MappingLoader.load(file).tables().get(0);

        assertThat(table.cron()).isEqualTo("* * * * * 7-19 */1 0");
        assertThat(Crons.toQuartz(table.cron())).isEqualTo("0 */1 7-19 * * ? *");
    }

    @Test
    void unsetEnvironmentVariableIsAProblem() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("url: localhost:5432", "url: ${env:CARAVAN_TEST_UNSET_HOST}"));

        assertProblems(file, file + ":3:8 source.url: environment variable CARAVAN_TEST_UNSET_HOST is not set"
                + " (got '${env:CARAVAN_TEST_UNSET_HOST}'); export it or write the value");
    }

    @Test
    void setEnvironmentVariableIsResolvedButPasswordsAreNot() throws IOException {
        String home = System.getenv("HOME");
        Path file = write("shop.yaml", SHOP.replace("db_name: shop", "db_name: x${env:HOME}x"));

        JobMapping job = MappingLoader.load(file);

        assertThat(job.source().dbName()).isEqualTo("x" + home + "x");
        assertThat(job.source().password().text()).isEqualTo("${env:SHOP_PG_PASSWORD}");
    }

    @Test
    void severalProblemsAreReportedAtOnceInFileOrder() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("url: localhost:5432", "url: 'no such host!'")
                .replace("db_name: dw", "db_name: dw\n    schema: [a]")
                .replace("mode: syncing", "mode: logging")
                .replace("primary_key_datatype: int", "primary_key_datatype: integer\n    strict: 'yes'\n"
                        + "    buffer_updation_lag:\n      hour: 2\n      days: -1"));

        MappingException e = catchMappingException(file);

        assertThat(e.problems()).hasSize(6);
        assertThat(e.getMessage()).isEqualTo(String.join("\n",
                file + ":3:8 source.url: not a PostgreSQL address (got 'no such host!'); "
                        + "write host, host:port, jdbc:postgresql://host[:port]/db or embedded",
                file + ":12:13 destination.warehouse.schema: expected a string, found a list",
                file + ":19:27 tables[0].primary_key_datatype: unknown primary key datatype (got 'integer'); "
                        + "allowed: str, uuid, int, datetime",
                file + ":20:13 tables[0].strict: expected true or false (got 'yes'); "
                        + "write true or false without quotes",
                file + ":22:7 tables[0].buffer_updation_lag.hour: unknown key; did you mean 'hours'?",
                file + ":23:13 tables[0].buffer_updation_lag.days: must be 0 or more (got '-1'); "
                        + "write a whole number of 0 or more"));
    }

    @Test
    void jsonMappingEqualsYamlMapping() throws IOException {
        Path yaml = write("shop.yaml", SHOP);
        Path json = write("shop.json", """
                {
                  "source": {"source_type": "pgsql", "url": "localhost:5432", "db_name": "shop",
                             "username": "caravan", "password": "${env:SHOP_PG_PASSWORD}"},
                  "destination": {
                    "warehouse": {"destination_type": "pgsql", "url": "jdbc:postgresql://dw.example.com:5432/dw",
                                  "db_name": "dw"}
                  },
                  "tables": [
                    {"table_name": "public.orders", "cron": "self-managed", "mode": "syncing",
                     "bookmark": "updated_at", "primary_key": "id", "primary_key_datatype": "int"}
                  ]
                }
                """);

        JobMapping fromJson = MappingLoader.load(json);
        JobMapping fromYaml = MappingLoader.load(yaml);

        assertThat(fromJson.source()).isEqualTo(fromYaml.source());
        assertThat(fromJson.destinations()).isEqualTo(fromYaml.destinations());
        assertThat(fromJson.tables()).isEqualTo(fromYaml.tables());
    }

    @Test
    void jsonProblemsHaveLocationsToo() throws IOException {
        Path file = write("shop.json", """
                {
                  "source": {"source_type": "pgsql", "url": "localhost", "db_name": "shop"},
                  "destination": {"warehouse": {"destination_type": "pgsql", "url": "embedded", "db_name": "dw"}},
                  "tables": [{"table_name": "orders", "cron": "self-managed", "mode": "dumping", "batch_size": 1.5}]
                }
                """);

        assertProblems(file, file + ":4:96 tables[0].batch_size: expected a whole number (got '1.5'); "
                + "write a whole number of 1 or more, e.g. 10000");
    }

    @Test
    void malformedYamlIsOneProblemAtTheParserLocation() throws IOException {
        Path file = write("shop.yaml", "source:\n  url: [localhost\ntables: x\n");

        assertProblems(file, file + ":3:7 invalid YAML: expected ',' or ']', but got :; fix the syntax here");
    }

    @Test
    void malformedJsonIsOneProblemAtTheParserLocation() throws IOException {
        Path file = write("shop.json", "{\"source\": {,}}");

        assertProblems(file, file + ":1:13 invalid JSON: Unexpected character (',' (code 44)): was expecting "
                + "double-quote to start field name; fix the syntax here");
    }

    @Test
    void partitionedPgsqlDestinationNeedsADatetimeColumn() throws IOException {
        Path file = write("shop.yaml", SHOP + """
                    partition_col: created_at
                    partition_col_format: int
                  - table_name: items
                    cron: self-managed
                    mode: dumping
                    partition_col: created_at
                  - table_name: refunds
                    cron: self-managed
                    mode: dumping
                    partition_col: false
                """);

        assertProblems(file,
                file + ":20:27 tables[0].partition_col_format: pgsql destination 'warehouse' partitions by month on a"
                        + " datetime column (got 'int'); use partition_col_format: datetime",
                file + ":21:5 tables[1].partition_col_format: pgsql destination 'warehouse' partitions by month on a"
                        + " datetime column, and the default is str; use partition_col_format: datetime");
    }

    @Test
    void sameTableTwiceIsAProblem() throws IOException {
        Path file = write("shop.yaml", SHOP + "  - table_name: orders\n    cron: self-managed\n    mode: dumping\n");

        assertProblems(file, file + ":19:17 tables[1].table_name: table already listed at tables[0] (got 'orders');"
                + " list each table once");
    }

    @Test
    void tablesDifferingOnlyBySchemaLandInOneDestinationTable() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("table_name: public.orders", "table_name: sales.orders")
                + "  - table_name: archive.orders\n    cron: self-managed\n    mode: dumping\n"
                + "  - table_name: orders\n    cron: self-managed\n    mode: dumping\n");

        String hint = "; move one of them to a job of its own with another destination schema";
        assertProblems(file,
                file + ":19:17 tables[1].table_name: lands in the same destination table 'orders' as tables[0]"
                        + " (sales.orders) (got 'archive.orders')" + hint,
                file + ":22:17 tables[2].table_name: lands in the same destination table 'orders' as tables[0]"
                        + " (sales.orders) (got 'orders')" + hint);
    }

    @Test
    void unqualifiedTableAndSchemaQualifiedTwinLandInOneDestinationTable() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("table_name: public.orders", "table_name: orders")
                + "  - table_name: items\n    cron: self-managed\n    mode: dumping\n"
                + "  - table_name: archive.orders\n    cron: self-managed\n    mode: dumping\n");

        assertProblems(file, file + ":22:17 tables[2].table_name: lands in the same destination table 'orders' as"
                + " tables[0] (orders) (got 'archive.orders'); move one of them to a job of its own with another"
                + " destination schema");
    }

    @Test
    void sameTableTwiceIsOnlyReportedAsListedTwice() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("table_name: public.orders", "table_name: sales.orders")
                + "  - table_name: sales.orders\n    cron: self-managed\n    mode: dumping\n");

        assertProblems(file, file + ":19:17 tables[1].table_name: table already listed at tables[0]"
                + " (got 'sales.orders'); list each table once");
    }

    @Test
    void differentTablesInDifferentSchemasAreFine() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("table_name: public.orders", "table_name: sales.orders")
                + "  - table_name: archive.items\n    cron: self-managed\n    mode: dumping\n"
                + "  - table_name: refunds\n    cron: self-managed\n    mode: dumping\n");

        assertThat(MappingLoader.load(file).tables()).extracting(TableSpec::tableName)
                .containsExactly("sales.orders", "archive.items", "refunds");
    }

    @Test
    void loggingNeedsAKeyThatGrows() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("mode: syncing", "mode: logging")
                .replace("primary_key_datatype: int", "primary_key_datatype: uuid")
                + "  - table_name: customers\n    cron: self-managed\n    mode: logging\n"
                + "    primary_key: code\n    primary_key_datatype: str\n");

        String why = " logging reads rows whose key is above the last one, so the key must grow with every insert";
        String hint = "; use int or datetime, or use mode: syncing with a bookmark";
        assertProblems(file,
                file + ":18:27 tables[0].primary_key_datatype:" + why + " (got 'uuid')" + hint,
                file + ":23:27 tables[1].primary_key_datatype:" + why + " (got 'str')" + hint);
    }

    @Test
    void loggingWithIntOrDatetimeKeysAndOtherModesWithTextKeysAreFine() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("mode: syncing", "mode: logging")
                + "  - table_name: events\n    cron: self-managed\n    mode: logging\n"
                + "    primary_key: created_at\n    primary_key_datatype: datetime\n"
                + "  - table_name: customers\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: code\n    primary_key_datatype: uuid\n"
                + "  - table_name: lines\n    cron: self-managed\n    mode: dumping\n"
                + "    primary_key: code\n    primary_key_datatype: str\n");

        assertThat(MappingLoader.load(file).tables()).extracting(TableSpec::mode, TableSpec::primaryKeyDatatype)
                .containsExactly(tuple(Mode.LOGGING, KeyType.INT), tuple(Mode.LOGGING, KeyType.DATETIME),
                        tuple(Mode.SYNCING, KeyType.UUID), tuple(Mode.DUMPING, KeyType.STR));
    }

    /**
     * Mirroring deletes only from the table named after the source: with get_table_name, deletes never reached the
     * routed tables and a row whose route changed was kept in both.
     */
    @Test
    void mirroringRefusesGetTableNameOfTheTableOrOfTheJob() throws IOException {
        Path table = write("shop.yaml", SHOP.replace("mode: syncing", "mode: mirroring")
                + "    get_table_name: com.example.shop.ByRegion\n");
        Path job = write("job.yaml", SHOP.replace("mode: syncing", "mode: mirroring")
                + "  - table_name: items\n    cron: self-managed\n    mode: syncing\n    bookmark: updated_at\n"
                + "    primary_key: id\n    primary_key_datatype: int\n"
                + "get_table_name: com.example.shop.ByRegion\n");

        String why = ": deletes never reach routed tables and a row that changes route is kept twice";
        String hint = "; use syncing, or drop get_table_name";
        assertProblems(table, table + ":19:21 tables[0].get_table_name: mirroring cannot route rows to other tables"
                + why + " (got 'com.example.shop.ByRegion')" + hint);
        assertProblems(job, job + ":15:11 tables[0].mode: mirroring cannot route rows with the job's get_table_name"
                + " com.example.shop.ByRegion" + why + " (got 'mirroring')" + hint);
    }

    @Test
    void syncingMayRouteWithGetTableName() throws IOException {
        Path file = write("shop.yaml", SHOP + "    get_table_name: com.example.shop.ByRegion\n"
                + "get_table_name: com.example.shop.ByRegion\n");

        assertThat(MappingLoader.load(file).tables().get(0).getTableName()).isEqualTo("com.example.shop.ByRegion");
    }

    @Test
    void initSqlOnlyWithEmbeddedUrl() throws IOException {
        Path bad = write("shop.yaml", SHOP.replace("  username: caravan", "  init_sql: seed.sql"));
        Path good = write("embedded.yaml", SHOP.replace("url: localhost:5432", "url: embedded")
                .replace("  username: caravan", "  init_sql: seed.sql"));

        assertProblems(bad, bad + ":5:13 source.init_sql: only allowed when url is embedded (got 'seed.sql'); "
                + "remove init_sql or write url: embedded");
        assertThat(MappingLoader.load(good).source().initSql()).isEqualTo("seed.sql");
    }

    @Test
    void destinationNameAndJobNameArePatterns() throws IOException {
        Path file = write("my shop.yaml", SHOP.replace("  warehouse:", "  ware house:"));

        assertProblems(file,
                file + ":1:1 the job name (the file's base name) must match [A-Za-z0-9_-]+ (got 'my shop'); "
                        + "rename the file with letters, digits, '_' and '-' only",
                file + ":8:3 destination.ware house: destination name must match [A-Za-z0-9_-]+ (got 'ware house');"
                        + " rename it with letters, digits, '_' and '-' only");
    }

    @Test
    void duplicateKeyIsAProblem() throws IOException {
        Path file = write("shop.yaml", SHOP.replace("  username: caravan", "  db_name: other"));

        assertProblems(file, file + ":5:3 source.db_name: duplicate key; already written at line 4; keep one of them");
    }

    @Test
    void loadAllCollectsTheProblemsOfEveryFile() throws IOException {
        Path good = write("shop.yaml", SHOP);
        Path bad1 = write("a.yaml", SHOP.replace("mode: syncing", "mode: copy"));
        Path bad2 = write("b.json", "[]");
        Path twin = write("shop.json", "{}");

        assertThat(MappingLoader.loadAll(List.of(good))).extracting(JobMapping::name).containsExactly("shop");
        assertThatThrownBy(() -> MappingLoader.loadAll(List.of(good, bad1, bad2, twin)))
                .isInstanceOf(MappingException.class)
                .hasMessage(String.join("\n",
                        bad1 + ":15:11 tables[0].mode: unknown mode (got 'copy'); "
                                + "allowed: dumping, logging, syncing, mirroring",
                        bad2 + ":1:1 expected a map, found a list; write a map with source, destination and tables",
                        twin + ":1:1 source: missing required key; add source: with source_type, url and db_name",
                        twin + ":1:1 destination: missing required key; "
                                + "add destination: with at least one named destination",
                        twin + ":1:1 tables: missing required key; add tables: with at least one table"));
    }

    @Test
    void fileProblems() {
        Path missing = dir.resolve("nope.yaml");
        Path text = dir.resolve("shop.txt");

        assertProblems(missing, missing + ":1:1 file not found; check the path");
        assertProblems(text, text + ":1:1 unsupported file type (got 'shop.txt'); name the file .yaml, .yml or .json");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static MappingException catchMappingException(Path file) {
        try {
            MappingLoader.load(file);
        } catch (MappingException e) {
            return e;
        }
        throw new AssertionError("expected a MappingException for " + file);
    }

    private static void assertProblems(Path file, String... lines) {
        assertThat(catchMappingException(file).getMessage()).isEqualTo(String.join("\n", lines));
    }
}
