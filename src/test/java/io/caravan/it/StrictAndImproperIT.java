package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strict: false} writes json and jsonb as text and timestamptz as a UTC timestamp; {@code improper_bookmarks}
 * compares a text bookmark as timestamptz, and syncs incrementally.
 */
class StrictAndImproperIT {


    @TempDir
    Path dir;

    private static long rowsRead(PipelineHarness.Result r) {
        Matcher m = Pattern.compile("shop\\s+\\w+\\s+warehouse\\s+\\w+\\s+([\\d,]+)\\s").matcher(r.out());
        assertThat(m.find()).as("summary line in %s", r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void strictFalseWritesJsonAsTextAndTimestamptzAsUtcTimestamp() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE docs (id bigint PRIMARY KEY, doc jsonb, raw json, happened_at timestamptz,"
                        + " updated_at timestamptz NOT NULL)",
                "INSERT INTO docs VALUES"
                        + " (1, '{\"b\": 1, \"a\": [true, null]}', '{ \"keep\" : 1 }', '2024-05-01 10:00:00.123456+02',"
                        + "  now() - interval '2 hours'),"
                        + " (2, NULL, NULL, NULL, now() - interval '1 hour'),"
                        + " (3, '\"s\"', '[1, 2]', '1999-12-31 23:59:59.999999-08', now() - interval '1 hour')");
        Path mapping = h.mapping("shop", "  - table_name: docs\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 2\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    strict: false\n");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        assertThat(h.columnTypes(dst, "dw.docs", false)).containsExactly("id bigint", "doc text",
                "raw text", "happened_at timestamp without time zone", "updated_at timestamp without time zone");
        String expected = "SELECT id, doc::text, raw::text, (happened_at AT TIME ZONE 'UTC')::text,"
                + " (updated_at AT TIME ZONE 'UTC')::text FROM docs ORDER BY id";
        String actual = "SELECT id, doc, raw, happened_at::text, updated_at::text FROM dw.docs ORDER BY id";
        assertThat(h.rows(dst, actual)).isEqualTo(h.rows(h.sourceDb(), expected)).hasSize(3);
        assertThat(h.rows(dst, "SELECT happened_at::text FROM dw.docs WHERE id = 1"))
                .containsExactly("2024-05-01 08:00:00.123456");

        h.source("UPDATE docs SET doc = '{\"changed\": true}', updated_at = now() WHERE id = 2",
                "INSERT INTO docs VALUES (4, '{}', '{}', now(), now())");
        assertThat(rowsRead(h.runOk(mapping))).isEqualTo(2);
        assertThat(h.rows(dst, actual)).isEqualTo(h.rows(h.sourceDb(), expected)).hasSize(4);
        assertThat(rowsRead(h.runOk(mapping))).as("the UTC bookmark is not re-read").isZero();
    }

    @Test
    void improperTextBookmarkHoldingTimestampsSyncsUpdatesIncrementally() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE notes (id bigint PRIMARY KEY, note text, stamp text NOT NULL)",
                "INSERT INTO notes SELECT g, 'n' || g, to_char(timestamptz '2024-05-01 10:00:00+00'"
                        + " + g * interval '1 hour', 'YYYY-MM-DD HH24:MI:SS') || '+00' FROM generate_series(1, 50) g");
        Path mapping = h.mapping("shop", "  - table_name: notes\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 7\n    bookmark: stamp\n    improper_bookmarks: true\n    primary_key: id\n"
                + "    primary_key_datatype: int\n");
        h.runOk(mapping);
        String dst = h.destinationDb(0);
        String columns = "id, note, stamp";
        assertThat(h.tableRows(dst, "dw.notes", columns, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "notes", columns, "id")).hasSize(50);
        assertThat(h.columnTypes(dst, "dw.notes", false))
                .containsExactly("id bigint", "note text", "stamp text");

        String now = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'";
        h.source("UPDATE notes SET note = 'changed', stamp = " + now + " WHERE id IN (5, 40)",
                "INSERT INTO notes VALUES (51, 'new', " + now + ")",
                "UPDATE notes SET note = 'silent' WHERE id = 7");
        assertThat(rowsRead(h.runOk(mapping))).isEqualTo(3);
        assertThat(h.rows(dst, "SELECT id || ' ' || note FROM dw.notes WHERE id IN (5, 7, 40, 51) ORDER BY id"))
                .containsExactly("5 changed", "7 n7", "40 changed", "51 new");
        assertThat(h.count(dst, "SELECT count(*) FROM dw.notes")).isEqualTo(51);
        // text bookmarks may be coarser than a microsecond, so rows sharing the last value are read again (one here)
        assertThat(rowsRead(h.runOk(mapping))).isEqualTo(1);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.notes")).isEqualTo(51);
    }
}
