package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvFormatTest {

    private final RowFormat format = RowFormat.of(DestinationSpec.FileFormat.CSV);

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryType() throws Exception {
        Path file = dir.resolve("t.csv");
        List<Object[]> back = FormatFixtures.assertRoundTrip(format, file);
        Path again = dir.resolve("again.csv");
        format.write(FormatFixtures.SHAPE, back, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
    }

    @Test
    void nullIsAnEmptyFieldAndTheEmptyStringIsQuoted() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("id", "integer", 23, true),
                new Column("s", "text", 25, false), new Column("a", "text[]", 1009, false),
                new Column("n", "numeric(12,2)", 1700, false), new Column("tz", "timestamp with time zone", 1184,
                        false), new Column("b", "bytea", 17, false)), List.of("id"));
        List<Object[]> rows = List.of(
                new Object[] {1, null, null, null, null, null},
                new Object[] {2, "", Arrays.asList("", null), new BigDecimal("1.50"),
                        OffsetDateTime.parse("2024-05-31T13:05:09.000001+02:00"), new byte[] {(byte) 0xFB}},
                new Object[] {3, "a,b \"c\"\nd", List.of(), new BigDecimal("-0.01"), OffsetDateTime.MAX, new byte[0]});
        Path file = dir.resolve("n.csv");
        format.write(shape, rows, file);
        assertThat(Files.readString(file)).isEqualTo("id,s,a,n,tz,b\n"
                + "1,,,,,\n"
                + "2,\"\",\"[\"\"\"\",null]\",1.50,\"2024-05-31T11:05:09.000001Z\",\"+w==\"\n"
                + "3,\"a,b \"\"c\"\"\nd\",[],-0.01,infinity,\"\"\n");
        List<Object[]> back = format.read(shape, file);
        assertThat(back.get(0)).containsExactly(1, null, null, null, null, null);
        assertThat(back.get(1)).containsExactly(2, "", Arrays.asList("", null), new BigDecimal("1.50"),
                OffsetDateTime.parse("2024-05-31T11:05:09.000001Z"), new byte[] {(byte) 0xFB});
        assertThat(back.get(2)).containsExactly(3, "a,b \"c\"\nd", List.of(), new BigDecimal("-0.01"),
                OffsetDateTime.MAX, new byte[0]);
    }

    @Test
    void anEmptyBatchWritesTheHeaderOnly() throws Exception {
        Path file = dir.resolve("e.csv");
        format.write(FormatFixtures.SHAPE, List.of(), file);
        assertThat(Files.readString(file)).startsWith("id,flag,small,").endsWith(",stamps\n");
        assertThat(format.read(FormatFixtures.SHAPE, file)).isEmpty();
    }

    @Test
    void holdsInfinityAndNaN() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("n", "numeric", 1700, false),
                new Column("d", "date", 1082, false), new Column("ts", "timestamp without time zone", 1114, false),
                new Column("f", "real", 700, false)), List.of());
        List<Object[]> rows = List.<Object[]>of(new Object[] {Double.NaN, LocalDate.MIN, LocalDateTime.MAX,
                Float.NEGATIVE_INFINITY});
        Path file = dir.resolve("i.csv");
        format.write(shape, rows, file);
        assertThat(Files.readString(file)).isEqualTo("n,d,ts,f\nNaN,-infinity,infinity,-Infinity\n");
        assertThat(format.read(shape, file).get(0)).containsExactly(rows.get(0));
    }

    @Test
    void duckDbReadsNullsAndEmptyStringsApart() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("id", "integer", 23, true),
                new Column("s", "text", 25, false)), List.of("id"));
        Path file = dir.resolve("d.csv");
        format.write(shape, List.of(new Object[] {1, null}, new Object[] {2, ""},
                new Object[] {3, "x,\"y\"\nz"}), file);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, s IS NULL, s FROM read_csv('" + file
                     + "', header = true, quote = '\"', escape = '\"', allow_quoted_nulls = false) ORDER BY id")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(rs.getInt(1)).append('|').append(rs.getBoolean(2)).append('|').append(rs.getString(3))
                        .append(';');
            }
            assertThat(sb.toString()).isEqualTo("1|true|null;2|false|;3|false|x,\"y\"\nz;");
        }
    }
}
