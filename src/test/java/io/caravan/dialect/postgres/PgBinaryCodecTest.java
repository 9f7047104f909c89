package io.caravan.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.caravan.testing.PgServer;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/** {@link PgBinaryCodec} against a real PostgreSQL: binary COPY out, decode, COPY text back in, compare. */
class PgBinaryCodecTest {

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    /** Every column type the codec decodes; {@code js} (json) has no equality, so comparisons cast it to text. */
    private static final String COLUMNS = """
            id int PRIMARY KEY, i2 smallint, i8 bigint, o oid, n12 numeric(12,2), n numeric, jb jsonb, js json,
            u uuid, ia int[], ta text[], i2d int[], tstz timestamptz, ts timestamp, d date, ba bytea, b boolean,
            t text, vc varchar(20), bp char(5), nm name, ch "char", iv interval, tm time, ttz timetz, f4 real,
            f8 double precision, na numeric[], ua uuid[], da date[], tsa timestamptz[], tsla timestamp[],
            baa bytea[], bla boolean[], f4a real[], f8a double precision[], jba jsonb[], jsa json[],
            iva interval[], tma time[], tza timetz[], vca varchar[], i8a bigint[], i2a smallint[], cha "char"[],
            nma name[], bpa char(3)[], oa oid[]""";

    private static final String ALL_BYTES =
            "(SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), '' ORDER BY i), 'hex') FROM generate_series(0, 255) i)";

    private static final String ROW_1 = """
            (1, 32767, 9223372036854775807, 4294967295, 1234567890.12, 123456789012345678901234567890.123456789,
             '{"a": [1, 2.50, "x\\"y"], "b": null, "ü": true}', '{ "keep" : "spacing",  "n": 1.0 }',
             'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,NULL,3}',
             ARRAY['plain', NULL, 'with "quotes"', 'comma,here', 'back\\slash', '', 'NULL', ' spaced ', '{braces}',
                   E'tab\\tnl\\ncr\\r'],
             '{{1,2,3},{4,NULL,6}}', '2024-02-29 13:45:10.123456+05:30', '2024-02-29 13:45:10.000001', '2024-02-29',
             %s, true, E'unicode ü € 😀 tab\\there newline\\nhere cr\\r backslash \\\\ end \\\\N', 'varchar',
             'ab', 'a_name', 'x', '1 year 2 mons 3 days 04:05:06.789', '13:45:10.123456', '13:45:10.5-03:30',
             1.1, 0.1, '{1.50,NaN,NULL,-0.000001,Infinity}', ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, NULL],
             '{2024-01-01,infinity,NULL,-infinity}', '{"2024-01-01 00:00:00.000001+00",-infinity,infinity}',
             '{"1999-12-31 23:59:59.999999"}', ARRAY['\\x00ff'::bytea, NULL, '\\x'], '{t,f,NULL}',
             '{3.4028235e38,1.4e-45,NaN}', '{1.5,NaN,-Infinity,1e-300}', ARRAY['{"a": 1}'::jsonb, '[1, "x"]', NULL],
             ARRAY['{"k": "v w"}'::json, NULL], ARRAY['1 day'::interval, '-00:00:00.5', '1 mon -1 day'],
             '{24:00:00,00:00:00.000001}', '{"12:00:00+05:30"}', ARRAY['a,b', 'c"d', 'e\\f', NULL],
             '{-9223372036854775808,9223372036854775807}', '{-32768,32767}', ARRAY['a'::"char", 'b'],
             ARRAY['n1'::name, 'n 2'], ARRAY['ab'::char(3), ''], '{0,4294967295}')""".formatted(ALL_BYTES);

    private static final String ROW_2 = """
            (2, -32768, -9223372036854775808, 0, -0.01, 1e-20, '[]', '"str"', '00000000-0000-0000-0000-000000000000',
             '{}', '{}', '{{{1}},{{2}}}', 'infinity', '-infinity', 'infinity', '\\x', false, '', '', '', '', '',
             '-1 mons +2 days -00:00:03.5', '24:00:00', '00:00:00+15:59', 'NaN', '-Infinity', '{}', '{}', '{}',
             '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
             '{}')""";

    private static final String ROW_4 = """
            (4, 0, 0, 1, 0.00, 'NaN', '{"nested": {"deep": [{}]}}', 'null', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
             ARRAY[NULL]::int[], ARRAY[NULL, 'x']::text[], '{{NULL,NULL}}', '-infinity', 'infinity', '-infinity',
             '\\x00', true, 'x', '12345678901234567890', 'abcde', 'nm', E'\\\\351', 'infinity', '00:00:00',
             '23:59:59.999999+00', 'Infinity', 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""";

    private static final String ROW_5 = """
            (5, 1, 1, 1, -9999999999.99, 'Infinity', '{}', '{}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{1}', '{x}',
             '{{1}}', '0044-03-15 12:00:00.5+00 BC', '4713-01-01 00:00:00 BC', '5874897-12-31',
             '\\x01', true, 'x', 'x', 'x', 'x', 'x', '-1 year -2 mons -3 days -04:05:06.000001', '00:00:00.000001',
             '00:00:00-15:59', '-0', '1e308', NULL, NULL, NULL, NULL, '{"294276-12-31 23:59:59.999999"}', NULL,
             NULL, NULL, NULL, NULL, NULL, '{"-178000000 years",infinity,-infinity}', NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL)""";

    private static final String ROW_6 = """
            (6, NULL, NULL, NULL, 0.5, 0.000, NULL, NULL, NULL, NULL, NULL, NULL,
             '1999-12-31 23:59:59.999999+00', '1970-01-01 00:00:00', '0001-01-01 BC', NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, '1 day 00:00:00.000001', NULL, NULL, NULL, '-0', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""";

    private static String database;
    private static Connection conn;

    @BeforeAll
    static void createTables() throws SQLException {
        database = PgServer.get().createDatabase("codec");
        conn = PgServer.get().connect(database);
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE t1 (" + COLUMNS + ")");
            s.execute("CREATE TABLE t2 (" + COLUMNS + ")");
            for (String row : List.of(ROW_1, ROW_2, "(3)", ROW_4, ROW_5, ROW_6)) {
                s.execute("INSERT INTO t1 VALUES " + row);
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        conn.close();
    }

    @Test
    void decodesEveryTypeFromBinaryCopy() throws Exception {
        Map<Integer, Map<String, Object>> rows = byId(readTable("t1"));

        Map<String, Object> r1 = rows.get(1);
        assertThat(r1.get("i2")).isEqualTo((short) 32767);
        assertThat(r1.get("i8")).isEqualTo(Long.MAX_VALUE);
        assertThat(r1.get("o")).isEqualTo(4294967295L);
        assertThat(r1.get("n12")).isEqualTo(new BigDecimal("1234567890.12"));
        assertThat(r1.get("n")).isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
        assertThat(r1.get("jb")).isEqualTo("{\"a\": [1, 2.50, \"x\\\"y\"], \"b\": null, \"ü\": true}");
        assertThat(r1.get("js")).isEqualTo("{ \"keep\" : \"spacing\",  \"n\": 1.0 }");
        assertThat(r1.get("u")).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertThat(r1.get("ia")).isEqualTo(Arrays.asList(1, null, 3));
        assertThat(r1.get("ta")).isEqualTo(Arrays.asList("plain", null, "with \"quotes\"", "comma,here",
                "back\\slash", "", "NULL", " spaced ", "{braces}", "tab\tnl\ncr\r"));
        assertThat(r1.get("i2d")).isEqualTo(List.of(List.of(1, 2, 3), Arrays.asList(4, null, 6)));
        assertThat(r1.get("tstz")).isEqualTo(OffsetDateTime.parse("2024-02-29T08:15:10.123456Z"));
        assertThat(r1.get("ts")).isEqualTo(LocalDateTime.parse("2024-02-29T13:45:10.000001"));
        assertThat(r1.get("d")).isEqualTo(LocalDate.parse("2024-02-29"));
        assertThat((byte[]) r1.get("ba")).hasSize(256).startsWith((byte) 0, (byte) 1).endsWith((byte) 255);
        assertThat(r1.get("b")).isEqualTo(true);
        assertThat(r1.get("t")).isEqualTo("unicode ü € 😀 tab\there newline\nhere cr\r backslash \\ end \\N");
        assertThat(r1.get("bp")).isEqualTo("ab   ");
        assertThat(r1.get("nm")).isEqualTo("a_name");
        assertThat(r1.get("ch")).isEqualTo("x");
        assertThat(r1.get("iv")).isEqualTo("P1Y2M3DT4H5M6.789S");
        assertThat(r1.get("tm")).isEqualTo(LocalTime.parse("13:45:10.123456"));
        assertThat(r1.get("ttz")).isEqualTo(OffsetTime.parse("13:45:10.5-03:30"));
        assertThat(r1.get("f4")).isEqualTo(1.1f);
        assertThat(r1.get("f8")).isEqualTo(0.1);
        assertThat(r1.get("na")).isEqualTo(Arrays.asList(new BigDecimal("1.50"), Double.NaN, null,
                new BigDecimal("-0.000001"), Double.POSITIVE_INFINITY));
        assertThat(r1.get("da")).isEqualTo(Arrays.asList(LocalDate.of(2024, 1, 1), LocalDate.MAX, null, LocalDate.MIN));
        assertThat(r1.get("tma")).isEqualTo(List.of(LocalTime.MAX, LocalTime.of(0, 0, 0, 1000)));
        assertThat(r1.get("cha")).isEqualTo(List.of("a", "b"));

        Map<String, Object> r2 = rows.get(2);
        assertThat(r2.get("n")).isEqualTo(new BigDecimal("0.00000000000000000001"));
        assertThat(r2.get("n12")).isEqualTo(new BigDecimal("-0.01"));
        assertThat(r2.get("ia")).isEqualTo(List.of());
        assertThat(r2.get("i2d")).isEqualTo(List.of(List.of(List.of(1)), List.of(List.of(2))));
        assertThat(r2.get("tstz")).isEqualTo(OffsetDateTime.MAX);
        assertThat(r2.get("ts")).isEqualTo(LocalDateTime.MIN);
        assertThat(r2.get("d")).isEqualTo(LocalDate.MAX);
        assertThat(r2.get("ba")).isEqualTo(new byte[0]);
        assertThat(r2.get("ch")).isEqualTo("");
        assertThat(r2.get("bp")).isEqualTo("     ");
        assertThat(r2.get("iv")).isEqualTo("P-1M2DT-3.5S");
        assertThat(r2.get("tm")).isEqualTo(LocalTime.MAX);
        assertThat(r2.get("ttz")).isEqualTo(OffsetTime.of(LocalTime.MIDNIGHT, ZoneOffset.ofHoursMinutes(15, 59)));
        assertThat((Float) r2.get("f4")).isNaN();
        assertThat(r2.get("f8")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(r2.get("jb")).isEqualTo("[]");

        assertThat(rows.get(3)).containsEntry("id", 3);
        assertThat(rows.get(3).values().stream().filter(v -> v != null)).hasSize(1);

        Map<String, Object> r4 = rows.get(4);
        assertThat(r4.get("n")).isEqualTo(Double.NaN);
        assertThat(r4.get("n12")).isEqualTo(new BigDecimal("0.00"));
        assertThat(r4.get("ia")).isEqualTo(Arrays.asList((Object) null));
        assertThat(r4.get("tstz")).isEqualTo(OffsetDateTime.MIN);
        assertThat(r4.get("ch")).isEqualTo("\\351");
        assertThat(r4.get("iv")).isEqualTo("infinity");

        Map<String, Object> r5 = rows.get(5);
        assertThat(r5.get("n")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r5.get("tstz")).isEqualTo(OffsetDateTime.parse("-0043-03-15T12:00:00.5Z"));
        assertThat(r5.get("ts")).isEqualTo(LocalDateTime.parse("-4712-01-01T00:00:00"));
        assertThat(r5.get("d")).isEqualTo(LocalDate.of(5874897, 12, 31));
        assertThat(r5.get("tm")).isEqualTo(LocalTime.of(0, 0, 0, 1000));
        assertThat(r5.get("ttz")).isEqualTo(OffsetTime.of(LocalTime.MIDNIGHT, ZoneOffset.ofHoursMinutes(-15, -59)));
        assertThat(r5.get("f4")).isEqualTo(-0.0f);
        assertThat(rows.get(6).get("d")).isEqualTo(LocalDate.of(0, 1, 1));
    }

    @Test
    void intervalsDecodeAsPostgresIsoText() throws Exception {
        Map<Integer, Map<String, Object>> rows = byId(readTable("t1"));
        try (Statement s = conn.createStatement()) {
            s.execute("SET intervalstyle = iso_8601");
            try (ResultSet rs = s.executeQuery("SELECT id, iv::text, iva::text FROM t1")) {
                while (rs.next()) {
                    Map<String, Object> row = rows.get(rs.getInt(1));
                    assertThat(row.get("iv")).as("iv of row %d", rs.getInt(1)).isEqualTo(rs.getString(2));
                    assertThat(PgBinaryCodec.toText(row.get("iva"))).isEqualTo(rs.getString(3));
                }
            }
            s.execute("RESET intervalstyle");
        }
    }

    @Test
    void copyTextRoundTripKeepsEveryValue() throws Exception {
        List<List<Object>> rows = readTable("t1").rows();
        StringBuilder text = new StringBuilder();
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    text.append('\t');
                }
                PgBinaryCodec.appendCopyText(text, row.get(i));
            }
            text.append('\n');
        }
        try (Statement s = conn.createStatement()) {
            s.execute("TRUNCATE t2");
        }
        new CopyManager((BaseConnection) conn).copyIn("COPY t2 FROM STDIN", new StringReader(text.toString()));

        assertThat(queryLong("SELECT count(*) FROM t2")).isEqualTo(rows.size());
        String values = "SELECT " + comparableColumns() + " FROM ";
        assertThat(queryLong("SELECT count(*) FROM (" + values + "t1 EXCEPT " + values + "t2) x")).isZero();
        assertThat(queryLong("SELECT count(*) FROM (" + values + "t2 EXCEPT " + values + "t1) x")).isZero();
        // text forms also catch what equality forgives: numeric scale (1.5 = 1.50), -0 = 0, json spacing
        // (the alias is "r": the tables have a column named t, which "t::text" would pick instead of the row)
        String texts = "SELECT r::text FROM ";
        assertThat(queryLong("SELECT count(*) FROM (" + texts + "t1 r EXCEPT " + texts + "t2 r) x")).isZero();
        assertThat(queryLong("SELECT count(*) FROM (" + texts + "t2 r EXCEPT " + texts + "t1 r) x")).isZero();
        assertThat(byId(readTable("t2")).get(1).get("ba")).isEqualTo(byId(readTable("t1")).get(1).get("ba"));
    }

    @Test
    void toTextWritesPlainJavaValuesPostgresReadsBack() throws SQLException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("s", "q\"uote\\ \n");
        json.put("n", new BigDecimal("1.50"));
        json.put("l", Arrays.asList(1, null, true));
        json.put("m", Map.of("k", 2.5));
        assertThat(PgBinaryCodec.toText(json))
                .isEqualTo("{\"s\": \"q\\\"uote\\\\ \\n\", \"n\": 1.50, \"l\": [1, null, true], \"m\": {\"k\": 2.5}}");
        assertReadsBack(json, "jsonb",
                "{\"l\": [1, null, true], \"m\": {\"k\": 2.5}, \"n\": 1.50, \"s\": \"q\\\"uote\\\\ \\n\"}");

        assertThat(PgBinaryCodec.toText(null)).isNull();
        assertReadsBack("tëxt", "text", "tëxt");
        assertReadsBack(true, "boolean", "true");
        assertReadsBack(42, "int", "42");
        assertReadsBack(new BigDecimal("1E-20"), "numeric", "0.00000000000000000001");
        assertReadsBack(new BigDecimal("12.3400"), "numeric", "12.3400");
        assertReadsBack(Double.NaN, "float8", "NaN");
        assertReadsBack(0.1 + 0.2, "float8", "0.30000000000000004");
        assertReadsBack(Float.NEGATIVE_INFINITY, "float4", "-Infinity");
        assertReadsBack(new byte[] {0, 15, (byte) 255}, "bytea", "\\x000fff");
        assertReadsBack(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertReadsBack(LocalDate.of(-43, 3, 15), "date", "0044-03-15 BC");
        assertReadsBack(LocalDate.MAX, "date", "infinity");
        assertReadsBack(LocalDateTime.parse("2024-02-29T13:45:10.000100"), "timestamp", "2024-02-29 13:45:10.0001");
        assertReadsBack(OffsetDateTime.parse("2024-02-29T13:45:10.123456+05:30:15"), "timestamptz",
                "2024-02-29 08:14:55.123456+00");
        assertReadsBack(Instant.parse("2024-02-29T13:45:10Z"), "timestamptz", "2024-02-29 13:45:10+00");
        assertReadsBack(OffsetDateTime.MIN, "timestamptz", "-infinity");
        assertReadsBack(LocalTime.MAX, "time", "24:00:00");
        assertReadsBack(OffsetTime.parse("01:02:03.000004-09:30"), "timetz", "01:02:03.000004-09:30");
        assertReadsBack(Duration.ofMillis(-90_500), "interval", "-00:01:30.5");
        assertReadsBack(Period.of(1, -2, 3), "interval", "10 mons 3 days");
        assertReadsBack(List.of(List.of("a b", "NULL"), Arrays.asList(null, "\\\"")), "text[]",
                "{{\"a b\",\"NULL\"},{NULL,\"\\\\\\\"\"}}");
        assertReadsBack(new Object[] {LocalDate.of(2024, 1, 1), LocalDate.MIN}, "date[]", "{2024-01-01,-infinity}");
        assertReadsBack(List.of(new byte[] {1}), "bytea[]", "{\"\\\\x01\"}");
    }

    @Test
    void appendCopyTextEscapesCopyDelimiters() {
        StringBuilder out = new StringBuilder();
        PgBinaryCodec.appendCopyText(out, "a\tb\nc\rd\\e");
        out.append('\t');
        PgBinaryCodec.appendCopyText(out, null);
        out.append('\t');
        PgBinaryCodec.appendCopyText(out, List.of("x y"));
        assertThat(out).hasToString("a\\tb\\nc\\rd\\\\e\t\\N\t{\"x y\"}");
    }

    @Test
    void rejectsRawValuesAndUnknownJavaTypes() {
        assertThatThrownBy(() -> PgBinaryCodec.toText(new PgRaw(600, new byte[16])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("600");
        assertThatThrownBy(() -> PgBinaryCodec.toText(List.of(new PgRaw(790, new byte[8]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("790");
        assertThatThrownBy(() -> PgBinaryCodec.toText(new Object()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        HashMap<String, Object> nanJson = new HashMap<>();
        nanJson.put("x", Double.NaN);
        assertThatThrownBy(() -> PgBinaryCodec.toText(nanJson)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedBytesThrowNamingTheOid() {
        assertMalformed(23, new byte[3]);
        assertMalformed(2950, new byte[15]);
        assertMalformed(1700, ByteBuffer.allocate(10).putShort((short) 1).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 10000).array());
        assertMalformed(1700, ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0x1234).putShort((short) 0).array());
        assertMalformed(25, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertMalformed(3802, new byte[] {2, '{', '}'});
        assertMalformed(1083, ByteBuffer.allocate(8).putLong(-1).array());
        byte[] truncatedArray = ByteBuffer.allocate(24).putInt(1).putInt(0).putInt(23).putInt(2).putInt(1)
                .putInt(4).array();
        assertMalformed(1007, truncatedArray);
        byte[] hugeArray = ByteBuffer.allocate(20).putInt(1).putInt(0).putInt(23).putInt(Integer.MAX_VALUE)
                .putInt(1).array();
        assertMalformed(1007, hugeArray);
        assertThatThrownBy(() -> PgBinaryCodec.decode(20, new byte[8], 4, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OID 20");
        assertThat(PgBinaryCodec.decode(25, "\uFFFD".getBytes(StandardCharsets.UTF_8), 0, 3)).isEqualTo("\uFFFD");
    }

    @Test
    void unknownTypesPassThroughAsRaw() {
        byte[] point = new byte[] {9, 1, 2, 3, 4, 9};
        assertThat(PgBinaryCodec.decode(600, point, 1, 4)).isEqualTo(new PgRaw(600, new byte[] {1, 2, 3, 4}));
        assertThat(PgBinaryCodec.elementOid(1007)).isEqualTo(23);
        assertThat(PgBinaryCodec.elementOid(3807)).isEqualTo(3802);
        assertThat(PgBinaryCodec.elementOid(23)).isZero();
    }

    private static void assertMalformed(int oid, byte[] bytes) {
        assertThatThrownBy(() -> PgBinaryCodec.decode(oid, bytes, 0, bytes.length))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OID " + oid);
    }

    /** Asserts PostgreSQL parses {@code toText(value)} as {@code type} to the value whose text is {@code expected}. */
    private static void assertReadsBack(Object value, String type, String expected) throws SQLException {
        String text = PgBinaryCodec.toText(value);
        try (Statement s = conn.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT CAST(CAST(? AS text) AS " + type + ")::text")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).as("%s as %s (sent %s)", value, type, text).isEqualTo(expected);
            }
        } finally {
            try (Statement s = conn.createStatement()) {
                s.execute("RESET TIME ZONE");
            }
        }
    }

    private static String comparableColumns() throws SQLException {
        List<String> names = new ArrayList<>();
        for (Column c : columns("t1")) {
            names.add(c.oid() == 114 || c.oid() == 199 ? c.name() + "::text" : c.name());
        }
        return String.join(", ", names);
    }

    private static long queryLong(String sql) throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Column(String name, int oid) {
    }

    private record Table(List<Column> columns, List<List<Object>> rows) {
    }

    private static List<Column> columns(String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT attname, atttypid FROM pg_attribute"
                + " WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return columns;
    }

    /** Reads {@code table} ordered by id with {@code COPY ... (FORMAT binary)} and decodes every field. */
    private static Table readTable(String table) throws Exception {
        List<Column> columns = columns(table);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CopyManager((BaseConnection) conn)
                .copyOut("COPY (SELECT * FROM " + table + " ORDER BY id) TO STDOUT (FORMAT binary)", out);
        ByteBuffer in = ByteBuffer.wrap(out.toByteArray());
        byte[] signature = new byte[SIGNATURE.length];
        in.get(signature);
        assertThat(signature).isEqualTo(SIGNATURE);
        in.getInt(); // flags
        int extensionLength = in.getInt();
        in.position(in.position() + extensionLength);
        List<List<Object>> rows = new ArrayList<>();
        for (int fieldCount = in.getShort(); fieldCount != -1; fieldCount = in.getShort()) {
            assertThat(fieldCount).isEqualTo(columns.size());
            List<Object> row = new ArrayList<>();
            for (Column column : columns) {
                int length = in.getInt();
                row.add(length == -1 ? null : PgBinaryCodec.decode(column.oid(), in.array(), in.position(), length));
                in.position(in.position() + Math.max(length, 0));
            }
            rows.add(row);
        }
        assertThat(in.remaining()).isZero();
        return new Table(columns, rows);
    }

    private static Map<Integer, Map<String, Object>> byId(Table table) {
        Map<Integer, Map<String, Object>> byId = new HashMap<>();
        for (List<Object> row : table.rows()) {
            Map<String, Object> named = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                named.put(table.columns().get(i).name(), row.get(i));
            }
            byId.put((Integer) row.get(0), named);
        }
        return byId;
    }
}
