package io.caravan.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonlFormatTest {

    private final RowFormat format = RowFormat.of(DestinationSpec.FileFormat.JSONL);

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryType() throws Exception {
        Path file = dir.resolve("t.jsonl");
        List<Object[]> back = FormatFixtures.assertRoundTrip(format, file);
        // read() values are accepted by write() and give the same file
        Path again = dir.resolve("again.jsonl");
        format.write(FormatFixtures.SHAPE, back, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
    }

    @Test
    void writesOneObjectPerLineWithExactNumbersIsoTimesEmbeddedJsonAndBase64() throws Exception {
        Path file = dir.resolve("t.jsonl");
        format.write(FormatFixtures.SHAPE, FormatFixtures.rows(), file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        assertThat(Files.readString(file)).endsWith("}\n");
        String first = lines.get(0);
        assertThat(first).startsWith("{\"id\":1,\"flag\":true,");
        assertThat(first).contains("\"amount\":-1234567890.12,")
                .contains("\"big\":1234567890123456789012345678.0123456789,")
                .contains("\"doc\":{\"a\": 1, \"b\": [true, null], \"ü\": \"x\\ny\"},")
                .contains("\"raw_json\":[1, 2.50, {\"k\": \"v\"}],")
                .contains("\"uid\":\"8c1a3f2e-6b7d-4e0f-9a1b-2c3d4e5f6a7b\"")
                .contains("\"at\":\"1969-12-31T23:59:59.999999\"")
                .contains("\"attz\":\"2024-05-31T13:05:09.123456Z\"")
                .contains("\"bytes\":\"AAEC/wos\"")
                .contains("\"ints\":[1,null,-3]")
                .contains("\"stamps\":[\"2000-01-01T00:00:00.000001Z\"]");
        JsonNode node = new ObjectMapper().readTree(first);
        assertThat(node.get("doc").isObject()).isTrue();
        assertThat(node.get("name").asText()).isEqualTo(FormatFixtures.UNICODE);
        assertThat(lines.get(1)).startsWith("{\"id\":2,\"flag\":null,");
    }

    @Test
    void holdsWhatParquetCannotNaNInfinityAndMultiDimensionalArrays() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("n", "numeric(12,2)", 1700, false),
                new Column("d", "date", 1082, false), new Column("ts", "timestamp without time zone", 1114, false),
                new Column("tz", "timestamp with time zone", 1184, false), new Column("m", "integer[]", 1007, false),
                new Column("f", "double precision", 701, false)), List.of());
        List<Object[]> rows = List.of(
                new Object[] {Double.NaN, LocalDate.MAX, LocalDateTime.MIN, OffsetDateTime.MAX,
                        List.of(List.of(1, 2), Arrays.asList(3, null)), Double.NEGATIVE_INFINITY},
                new Object[] {Double.POSITIVE_INFINITY, LocalDate.MIN, LocalDateTime.MAX, OffsetDateTime.MIN,
                        List.of(), Double.NaN});
        Path file = dir.resolve("x.jsonl");
        format.write(shape, rows, file);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo(
                "{\"n\":\"NaN\",\"d\":\"infinity\",\"ts\":\"-infinity\",\"tz\":\"infinity\",\"m\":[[1,2],[3,null]],"
                        + "\"f\":\"-Infinity\"}");
        List<Object[]> back = format.read(shape, file);
        assertThat(back.get(0)).containsExactly(rows.get(0));
        assertThat(back.get(1)).containsExactly(rows.get(1));
    }

    @Test
    void convertsPlainJavaValuesFromRecordsAndNormalizesOffsetsToUtc() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("id", "bigint", 20, true),
                new Column("n", "numeric(12,2)", 1700, false), new Column("tz", "timestamp with time zone", 1184, false),
                new Column("doc", "jsonb", 3802, false), new Column("a", "text[]", 1009, false)), List.of("id"));
        Path file = dir.resolve("r.jsonl");
        format.write(shape, List.<Object[]>of(new Object[] {7, 12.5, OffsetDateTime.of(2024, 1, 1, 2, 0, 0, 0,
                ZoneOffset.ofHours(2)), java.util.Map.of("k", List.of(1, 2)), new Object[] {"x", null}}), file);
        assertThat(Files.readString(file)).isEqualTo(
                "{\"id\":7,\"n\":12.5,\"tz\":\"2024-01-01T00:00:00Z\",\"doc\":{\"k\":[1,2]},\"a\":[\"x\",null]}\n");
        assertThat(format.read(shape, file).get(0)).containsExactly(7L, new BigDecimal("12.5"),
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), "{\"k\":[1,2]}", Arrays.asList("x", null));
    }

    @Test
    void anEmptyBatchRoundTrips() throws Exception {
        Path file = dir.resolve("empty.jsonl");
        format.write(FormatFixtures.SHAPE, List.of(), file);
        assertThat(format.read(FormatFixtures.SHAPE, file)).isEmpty();
    }
}
