package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgRaw;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A table with a column of every type the formats handle, rows as PgBinaryCodec.decode gives them, and the rows
 *  read() should give back. */
final class FormatFixtures {

    static final TableShape SHAPE = new TableShape(List.of(
            new Column("id", "bigint", 20, true),
            new Column("flag", "boolean", 16, false),
            new Column("small", "smallint", 21, false),
            new Column("num", "integer", 23, false),
            new Column("f4", "real", 700, false),
            new Column("f8", "double precision", 701, false),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("big", "numeric(38,10)", 1700, false),
            new Column("anynum", "numeric", 1700, false),
            new Column("name", "text", 25, false),
            new Column("code", "character(3)", 1042, false),
            new Column("doc", "jsonb", 3802, false),
            new Column("raw_json", "json", 114, false),
            new Column("uid", "uuid", 2950, false),
            new Column("day", "date", 1082, false),
            new Column("at", "timestamp without time zone", 1114, false),
            new Column("attz", "timestamp with time zone", 1184, false),
            new Column("bytes", "bytea", 17, false),
            new Column("t", "time without time zone", 1083, false),
            new Column("ival", "interval", 1186, false),
            new Column("addr", "inet", 869, false),
            new Column("ints", "integer[]", 1007, false),
            new Column("texts", "text[]", 1009, false),
            new Column("amounts", "numeric(12,2)[]", 1231, false),
            new Column("stamps", "timestamp with time zone[]", 1185, false)),
            List.of("id"));

    static final String UNICODE = "Grüße, 世界 🚀 \"quoted\", comma\nnew line\r\n\ttab \\ backslash";
    static final UUID UID = UUID.fromString("8c1a3f2e-6b7d-4e0f-9a1b-2c3d4e5f6a7b");
    /** inet 192.168.0.1/24 in binary COPY form: family 2, bits 24, not cidr, 4 address bytes. */
    static final PgRaw INET = new PgRaw(869, new byte[] {2, 24, 0, 4, (byte) 192, (byte) 168, 0, 1});

    private FormatFixtures() {
    }

    /** Rows every format holds, as the source decoder gives them. */
    static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, true, (short) -32768, Integer.MAX_VALUE, 1.5f, -2.25e300, new BigDecimal("-1234567890.12"),
                new BigDecimal("1234567890123456789012345678.0123456789"),
                new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459"),
                UNICODE, "ab ", "{\"a\": 1, \"b\": [true, null], \"ü\": \"x\\ny\"}", "[1, 2.50, {\"k\": \"v\"}]",
                UID, LocalDate.of(2024, 2, 29), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                OffsetDateTime.of(2024, 5, 31, 13, 5, 9, 123_456_000, ZoneOffset.UTC),
                new byte[] {0, 1, 2, (byte) 0xFF, '\n', ','}, LocalTime.of(13, 5, 9, 500_000_000), "P1Y2M3DT4H5M6.5S",
                INET, Arrays.asList(1, null, -3), Arrays.asList("a", "", null, "x,\"y\"\n"),
                List.of(new BigDecimal("1.50"), new BigDecimal("-0.01")),
                List.of(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 1000, ZoneOffset.UTC))});
        Object[] nulls = new Object[SHAPE.columns().size()];
        nulls[0] = 2L;
        rows.add(nulls);
        rows.add(new Object[] {Long.MIN_VALUE, false, (short) 0, 0, Float.MIN_VALUE, Double.MAX_VALUE,
                new BigDecimal("0.00"), new BigDecimal("-0.0000000001"), new BigDecimal("100"), "", "   ",
                "\"just a string\"", "true", UUID.fromString("00000000-0000-0000-0000-000000000000"),
                LocalDate.of(1, 1, 1), LocalDateTime.of(2262, 4, 11, 23, 47, 16, 854_775_000),
                OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new byte[0], LocalTime.MIDNIGHT, "PT0S",
                new PgRaw(869, new byte[] {3, (byte) 128, 0, 16, 0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 1}),
                List.of(), Arrays.asList((String) null), List.of(), Arrays.asList(null, null)});
        return rows;
    }

    /** What read() gives back for {@link #rows()}: uuid, time, interval and inet as text. */
    static List<Object[]> expected() {
        List<Object[]> rows = new ArrayList<>();
        for (Object[] r : rows()) {
            Object[] e = r.clone();
            for (int i = 0; i < e.length; i++) {
                if (e[i] instanceof UUID || e[i] instanceof LocalTime) {
                    e[i] = PgBinaryCodec.toText(e[i]);
                }
            }
            rows.add(e);
        }
        rows.get(0)[SHAPE.indexOf("addr")] = "192.168.0.1/24";
        rows.get(2)[SHAPE.indexOf("addr")] = "2001:db8::1";
        return rows;
    }

    /**
     * Writes {@link #rows()} to {@code file}, reads it back and asserts every row equals {@link #expected()}.
     *
     * @return the rows read back
     */
    static List<Object[]> assertRoundTrip(RowFormat format, Path file) throws IOException {
        format.write(SHAPE, rows(), file);
        List<Object[]> back = format.read(SHAPE, file);
        assertRows(back);
        return back;
    }

    /** Asserts {@code rows} equal {@link #expected()}, row by row. */
    static void assertRows(List<Object[]> rows) {
        List<Object[]> expected = expected();
        org.assertj.core.api.Assertions.assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            org.assertj.core.api.Assertions.assertThat(rows.get(i)).as("row " + i).containsExactly(expected.get(i));
        }
    }
}
