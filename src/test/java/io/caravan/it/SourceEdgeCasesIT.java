package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Source tables that are easy to get wrong: coarse and local bookmarks, cast keys, keys that are not unique. */
class SourceEdgeCasesIT {

    @TempDir
    Path dir;

    private static long rowsRead(PipelineHarness.Result r) {
        Matcher m = Pattern.compile("shop\\s+\\S+\\s+\\S+\\s+\\S+\\s+([\\d,]+)").matcher(r.out().lines()
                .filter(l -> l.startsWith("shop ")).findFirst().orElseThrow());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static String syncing(String table, String bookmark, String extra) {
        return "  - table_name: " + table + "\n    cron: self-managed\n    mode: syncing\n    bookmark: " + bookmark
                + "\n    primary_key: id\n    primary_key_datatype: int\n" + extra;
    }

    @Test
    void dateBookmarkKeepsRowsUpdatedLaterTheSameDay() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE t (id int PRIMARY KEY, v text, upd date NOT NULL)",
                "INSERT INTO t SELECT g, 'a', current_date - 1 FROM generate_series(1, 5) g",
                "INSERT INTO t VALUES (10, 'a', current_date)");
        Path mapping = h.mapping("shop", syncing("t", "upd", ""));
        h.runOk(mapping);
        h.runOk(mapping);
        h.source("UPDATE t SET v = 'changed', upd = current_date WHERE id = 1");
        h.runOk(mapping);
        assertThat(h.tableRows(h.destinationDb(0), "dw.t", "id, v, upd", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "t", "id, v, upd", "id"));
    }

    @Test
    void localTimestampBookmarkFollowsTheSourceDatabaseTimeZone() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.execute("postgres", "ALTER DATABASE " + h.sourceDb() + " SET timezone = 'America/New_York'");
        h.source("CREATE TABLE t (id int PRIMARY KEY, v text, updated_at timestamp NOT NULL DEFAULT now())",
                "INSERT INTO t SELECT g, 'a', now() - interval '1 hour' FROM generate_series(1, 3) g");
        Path mapping = h.mapping("shop", syncing("t", "updated_at", ""));
        h.runOk(mapping);
        h.source("UPDATE t SET v = 'changed', updated_at = now() WHERE id = 1", "INSERT INTO t VALUES (4, 'b')");
        assertThat(rowsRead(h.runOk(mapping))).isEqualTo(2);
        assertThat(h.tableRows(h.destinationDb(0), "dw.t", "id, v, updated_at", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "t", "id, v, updated_at", "id"));
    }

    @Test
    void mirroringWithATimestamptzKeyReadAsUtcDeletesOnlyRowsGoneAtTheSource() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE ev (ts timestamptz PRIMARY KEY, v text, u timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO ev (ts, v) SELECT timestamptz '2024-01-01 00:00+00' + g * interval '1 hour', 'x'"
                        + " FROM generate_series(1, 5) g");
        Path mapping = h.mapping("shop", "  - table_name: ev\n    cron: self-managed\n    mode: mirroring\n"
                + "    bookmark: u\n    primary_key: ts\n    primary_key_datatype: datetime\n    strict: false\n");
        h.runOk(mapping);
        h.source("DELETE FROM ev WHERE ts = '2024-01-01 02:00+00'");
        PipelineHarness.Result r = h.runOk(mapping);
        assertThat(r.out()).containsPattern("shop\\s+ev\\s+warehouse\\s+succeeded\\s+0\\s+0\\s+1\\s");
        assertThat(h.rows(h.destinationDb(0), "SELECT ts::text FROM dw.ev ORDER BY ts")).containsExactly(
                "2024-01-01 01:00:00", "2024-01-01 03:00:00", "2024-01-01 04:00:00", "2024-01-01 05:00:00");
    }

    @Test
    void aKeyColumnThatIsNotUniqueIsRefusedAtPrimaryKey() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE lines (order_id int, line int, qty int, u timestamptz NOT NULL DEFAULT now(),"
                + " PRIMARY KEY (order_id, line))", "INSERT INTO lines SELECT g / 3, g, 1 FROM generate_series(1, 9) g");
        Path mapping = h.mapping("shop", "  - table_name: lines\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: u\n    primary_key: order_id\n    primary_key_datatype: int\n");
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        int line = Files.readAllLines(mapping).indexOf("    primary_key: order_id") + 1;
        assertThat(r.out()).contains("FAILED shop.lines: job shop, table lines: " + mapping + ":" + line
                + ":18 tables[0].primary_key: no primary key or unique index on this column alone in lines"
                + " (got 'order_id'); name a column that identifies one row (composite keys are not supported)");
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = 'dw'")).isZero();
    }

    @Test
    void anIntegerBookmarkIsRefusedAtBookmark() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE t (id int PRIMARY KEY, version bigint NOT NULL)");
        Path mapping = h.mapping("shop", syncing("t", "version", ""));
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("tables[0].bookmark: the bookmark column is of type bigint, not a date or time"
                + " (got 'version'); name a timestamptz, timestamp or date column");
    }

    @Test
    void aFailingDestinationStopsTheReadInsteadOfReadingTheWholeTable() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO t SELECT g, now() - interval '1 day' FROM generate_series(1, 20000) g");
        h.execute(h.destinationDb(0), "CREATE SCHEMA dw",
                "CREATE TABLE dw.t (id int PRIMARY KEY CHECK (id <> 250), updated_at timestamptz NOT NULL)");
        Path mapping = h.mapping("shop", syncing("t", "updated_at", "    batch_size: 100\n"));
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(rowsRead(r)).isLessThan(1000);
    }

    @Test
    void aPasswordInASourceJdbcUrlIsNeverPrinted() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path mapping = dir.resolve("shop.yaml");
        Files.writeString(mapping, "source:\n  source_type: pgsql\n"
                + "  url: jdbc:postgresql://127.0.0.1:1/x?user=u&password=Sup3rSecret\n  db_name: x\ndestination:\n"
                + h.destinationYaml("warehouse", 0, "dw") + "tables:\n" + syncing("t", "updated_at", ""));
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out() + r.err()).doesNotContain("Sup3rSecret").contains("password=******");
    }

    @Test
    void aKeyOfADomainTypeKeepsItsOwnOrderAcrossRuns() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE DOMAIN order_id AS int CHECK (VALUE > 0)",
                "CREATE TABLE dk (id order_id PRIMARY KEY, v text, updated_at timestamptz NOT NULL)",
                "INSERT INTO dk SELECT g, 'a', now() - interval '1 day' FROM generate_series(1, 30) g");
        Path mapping = h.mapping("shop", syncing("dk", "updated_at", "    batch_size: 7\n"));
        h.runOk(mapping);
        h.source("UPDATE dk SET v = 'b', updated_at = now() WHERE id IN (3, 25)");
        h.runOk(mapping);
        h.source("UPDATE dk SET v = 'c', updated_at = now() WHERE id IN (9, 10)");
        h.runOk(mapping);
        assertThat(h.tableRows(h.destinationDb(0), "dw.dk", "id::int, v", "id::int"))
                .isEqualTo(h.tableRows(h.sourceDb(), "dk", "id::int, v", "id::int")).hasSize(30);
    }

    @Test
    void improperBookmarksWithoutOffsetAreTimesOfTheSourceDatabaseTimeZone() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.execute("postgres", "ALTER DATABASE " + h.sourceDb() + " SET timezone = 'America/New_York'");
        String local = "to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US')";
        h.source("CREATE TABLE ev (id int PRIMARY KEY, v text, updated_at text NOT NULL DEFAULT " + local + ")",
                "INSERT INTO ev (id, v) SELECT g, 'a' FROM generate_series(1, 5) g");
        Path mapping = h.mapping("shop", syncing("ev", "updated_at", "    improper_bookmarks: true\n"));
        h.runOk(mapping);
        h.source("UPDATE ev SET v = 'changed', updated_at = " + local + " WHERE id = 3",
                "INSERT INTO ev (id, v) VALUES (6, 'new')");
        h.runOk(mapping);
        assertThat(h.tableRows(h.destinationDb(0), "dw.ev", "id, v", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "ev", "id, v", "id")).hasSize(6);
    }
}
