package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every column type travels exactly: the destination table has the source's types (format_type) and primary key,
 * and every row's text is the same on both sides, through binary rows and through decoded records (DESIGN §3).
 */
class TypesRoundTripIT {

    private static final String TABLE = """
            CREATE TABLE everything (
              id bigint PRIMARY KEY,
              price numeric(12,2),
              ratio numeric,
              doc jsonb,
              raw json,
              token uuid,
              counts int[],
              tags text[],
              happened_at timestamptz,
              local_at timestamp,
              day date,
              blob bytea,
              flag boolean,
              note text,
              code varchar(20),
              updated_at timestamptz NOT NULL)""";

    private static final String ROWS = """
            INSERT INTO everything VALUES
            (1, 1234567890.12, 3.14159265358979323846264338327950288419716939937510,
             '{"a": [1, 2.50, null], "b": {"c": "d\\"e"}, "ü": "✓"}',
             '{ "keep":  "spacing",  "dup": 1, "dup": 2 }',
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
             '{1,NULL,-3}',
             ARRAY['plain', NULL, 'with "quotes"', 'a,b', 'back\\slash', '', 'NULL', ' spaced ', '{braces}'],
             '2024-05-01 10:00:00.123456+02', '2024-05-01 10:00:00.654321', '2024-02-29',
             '\\x00ff105c0a'::bytea, true,
             E'unicode ü ✓ 😀\\ttab\\nnewline\\\\backslash \\r cr', 'twenty chars exactly',
             now() - interval '3 hours' + interval '0.000001 second'),
            (2, -0.01, 'NaN', '[]', 'null', '00000000-0000-0000-0000-000000000000', '{{1,2},{3,4}}', '{}',
             '1970-01-01 00:00:00+00', '1900-01-01 23:59:59.999999', '0001-01-01', ''::bytea, false,
             '', 'x', now() - interval '2 hours'),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             now() - interval '1 hour'),
            (4, 0, -123456789012345678901234567890.000000000000000000001, '{"n": 1e400}', '"s"',
             'ffffffff-ffff-ffff-ffff-ffffffffffff', ARRAY[2147483647, -2147483648],
             ARRAY[E'tab\\there', E'new\\nline', 'ünï', 'a''quote'],
             '2262-04-11 23:47:16.854775+00', '2000-02-29 12:00:00.000001', '9999-12-31',
             decode(repeat('ab', 5000), 'hex'), NULL, repeat('long ', 2000), 'varchar ü', now())
            """;

    private static final String PRIMARY_KEY = "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
            + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
            + " WHERE i.indrelid = '%s'::regclass AND i.indisprimary ORDER BY a.attnum";
    private static final String ROW_TEXT = "SELECT t::text FROM %s t ORDER BY id";

    @TempDir
    Path dir;

    private PipelineHarness world(String extra) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(TABLE, ROWS);
        h.mapping("types", "  - table_name: everything\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 2\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + extra);
        return h;
    }

    private static void assertSameTable(PipelineHarness h) {
        String dst = h.destinationDb(0);
        assertThat(h.columnTypes(dst, "dw.everything", true))
                .isEqualTo(h.columnTypes(h.sourceDb(), "public.everything", true))
                .hasSize(16);
        assertThat(h.rows(dst, PRIMARY_KEY.formatted("dw.everything"))).containsExactly("id");
        List<String> source = h.rows(h.sourceDb(), ROW_TEXT.formatted("everything"));
        assertThat(source).hasSize(4);
        assertThat(h.rows(dst, ROW_TEXT.formatted("dw.everything"))).isEqualTo(source);
    }

    /** Changes rows at the source so that the second run upserts existing keys and inserts a new one. */
    private static void change(PipelineHarness h) {
        h.source("UPDATE everything SET note = E'changed\\\\ \\t ü', tags = ARRAY[NULL, NULL]::text[],"
                        + " doc = '{\"x\": [true, false]}', ratio = 1e-20, updated_at = now() WHERE id IN (1, 3)",
                "INSERT INTO everything (id, price, tags, happened_at, updated_at)"
                        + " VALUES (5, 99.99, ARRAY['\"', ',', '\\\\'], '2024-05-01 00:00:00.000001+00', now())");
    }

    @Test
    void everyTypeRoundTripsExactlyThroughBinaryRows() {
        PipelineHarness h = world("");
        Path mapping = dir.resolve("types.yaml");
        h.runOk(mapping);
        assertSameTable(h);
        change(h);
        h.runOk(mapping);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.everything")).isEqualTo(5);
        assertSameTable5(h);
    }

    @Test
    void everyTypeRoundTripsExactlyThroughProcessDictRecords() {
        PipelineHarness h = world("    process_dict: io.caravan.it.PassThrough\n");
        Path mapping = dir.resolve("types.yaml");
        long before = PassThrough.CALLS.get();
        h.runOk(mapping);
        assertThat(PassThrough.CALLS.get() - before).isEqualTo(4);
        assertSameTable(h);
        change(h);
        h.runOk(mapping);
        assertSameTable5(h);
    }

    private static void assertSameTable5(PipelineHarness h) {
        List<String> source = h.rows(h.sourceDb(), ROW_TEXT.formatted("everything"));
        assertThat(source).hasSize(5);
        assertThat(h.rows(h.destinationDb(0), ROW_TEXT.formatted("dw.everything"))).isEqualTo(source);
        assertThat(h.columnTypes(h.destinationDb(0), "dw.everything", true))
                .isEqualTo(h.columnTypes(h.sourceDb(), "public.everything", true));
    }

    private static final String MORE = """
            CREATE TABLE more_types (
              id integer PRIMARY KEY,
              small smallint,
              real_v real,
              double_v double precision,
              fixed char(5),
              span interval,
              clock time,
              clock_tz timetz,
              addr inet,
              net cidr,
              mac macaddr,
              bits bit(3),
              vbits varbit,
              numbers numeric(6,3)[],
              stamps timestamptz[],
              ids uuid[],
              docs jsonb[],
              blobs bytea[],
              flags boolean[],
              range_v int8range,
              updated_at timestamp(3) NOT NULL)""";

    private static final String MORE_ROWS = """
            INSERT INTO more_types VALUES
            (1, -32768, 'NaN', '-Infinity', 'ab', '1 year 2 months 3 days 04:05:06.789', '24:00:00',
             '23:59:59.999999+05:30', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'101', B'1',
             '{1.5,NULL,-999.999}', ARRAY['2024-05-01 10:00:00.000001+00'::timestamptz, NULL],
             ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid], ARRAY['{"a": 1}'::jsonb, 'null'::jsonb],
             ARRAY['\\x00'::bytea, ''::bytea], '{t,f,NULL}', '[1,10)', '2024-05-01 10:00:00.123'),
            (2, 0, '-0', 1.7976931348623157e308, NULL, '-1 days -00:00:00.000001', '00:00:00', '00:00:00-12',
             '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', B'000', B'', '{}', '{}', '{}', '{}', '{}', '{}',
             'empty', '1999-12-31 23:59:59.999'),
            (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, '2000-01-01 00:00:00')
            """;

    private PipelineHarness moreTypes(String extra) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source(MORE, MORE_ROWS);
        h.mapping("types", "  - table_name: more_types\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 2\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + extra);
        return h;
    }

    /** Columns whose types the binary codec does not decode: it keeps them as raw bytes (PgRaw). */
    private static final String RAW_TYPED = "addr, net, mac, bits, vbits, range_v";

    private static void assertSameMoreTypes(PipelineHarness h, int columns) {
        String dst = h.destinationDb(0);
        assertThat(h.columnTypes(dst, "dw.more_types", true))
                .isEqualTo(h.columnTypes(h.sourceDb(), "public.more_types", true))
                .hasSize(columns);
        List<String> source = h.rows(h.sourceDb(), ROW_TEXT.formatted("more_types"));
        assertThat(source).hasSize(3);
        assertThat(h.rows(dst, ROW_TEXT.formatted("dw.more_types"))).isEqualTo(source);
    }

    @Test
    void moreTypesRoundTripExactlyThroughBinaryRows() {
        PipelineHarness h = moreTypes("");
        h.runOk(dir.resolve("types.yaml"));
        assertSameMoreTypes(h, 21);
    }

    @Test
    void moreDecodedTypesRoundTripExactlyThroughProcessDictRecords() {
        PipelineHarness h = moreTypes("    process_dict: io.caravan.it.PassThrough\n");
        h.source("ALTER TABLE more_types DROP COLUMN " + RAW_TYPED.replace(", ", ", DROP COLUMN "));
        h.runOk(dir.resolve("types.yaml"));
        assertSameMoreTypes(h, 15);
    }

    @Test
    void typesTheCodecKeepsRawRoundTripThroughProcessDictRecords() {
        PipelineHarness h = moreTypes("    process_dict: io.caravan.it.PassThrough\n");
        h.runOk(dir.resolve("types.yaml"));
        assertSameMoreTypes(h, 21);
    }
}
