package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParquetFormatTest {

    private final RowFormat format = RowFormat.of(DestinationSpec.FileFormat.PARQUET);

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryType() throws Exception {
        Path file = dir.resolve("t.parquet");
        List<Object[]> back = FormatFixtures.assertRoundTrip(format, file);
        Path again = dir.resolve("again.parquet");
        format.write(FormatFixtures.SHAPE, back, again);
        FormatFixtures.assertRows(format.read(FormatFixtures.SHAPE, again));
    }

    @Test
    void footerSchemaCarriesTheSourceTypes() throws Exception {
        Path file = dir.resolve("t.parquet");
        format.write(FormatFixtures.SHAPE, FormatFixtures.rows(), file);
        ParquetMetadata footer;
        try (ParquetFileReader r = ParquetFormat.open(file)) {
            footer = r.getFooter();
        }
        MessageType schema = footer.getFileMetaData().getSchema();
        assertThat(schema.getFieldCount()).isEqualTo(FormatFixtures.SHAPE.columns().size());
        assertPrimitive(schema.getType("id"), Type.Repetition.REQUIRED, PrimitiveTypeName.INT64, null);
        assertPrimitive(schema.getType("flag"), Type.Repetition.OPTIONAL, PrimitiveTypeName.BOOLEAN, null);
        assertPrimitive(schema.getType("small"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT32,
                LogicalTypeAnnotation.intType(16, true));
        assertPrimitive(schema.getType("num"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT32, null);
        assertPrimitive(schema.getType("f4"), Type.Repetition.OPTIONAL, PrimitiveTypeName.FLOAT, null);
        assertPrimitive(schema.getType("f8"), Type.Repetition.OPTIONAL, PrimitiveTypeName.DOUBLE, null);
        assertPrimitive(schema.getType("amount"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT64,
                LogicalTypeAnnotation.decimalType(2, 12));
        assertPrimitive(schema.getType("big"), Type.Repetition.OPTIONAL, PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY,
                LogicalTypeAnnotation.decimalType(10, 38));
        assertThat(schema.getType("big").asPrimitiveType().getTypeLength()).isEqualTo(16);
        for (String text : List.of("anynum", "name", "code", "doc", "raw_json", "uid", "t", "ival", "addr")) {
            assertPrimitive(schema.getType(text), Type.Repetition.OPTIONAL, PrimitiveTypeName.BINARY,
                    LogicalTypeAnnotation.stringType());
        }
        assertPrimitive(schema.getType("day"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT32,
                LogicalTypeAnnotation.dateType());
        assertPrimitive(schema.getType("at"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT64,
                LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertPrimitive(schema.getType("attz"), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT64,
                LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertPrimitive(schema.getType("bytes"), Type.Repetition.OPTIONAL, PrimitiveTypeName.BINARY, null);
        GroupType ints = schema.getType("ints").asGroupType();
        assertThat(ints.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
        assertThat(ints.getRepetition()).isEqualTo(Type.Repetition.OPTIONAL);
        GroupType list = ints.getType(0).asGroupType();
        assertThat(list.getName()).isEqualTo("list");
        assertThat(list.getRepetition()).isEqualTo(Type.Repetition.REPEATED);
        assertThat(list.getType(0).getName()).isEqualTo("element");
        assertPrimitive(list.getType(0), Type.Repetition.OPTIONAL, PrimitiveTypeName.INT32, null);
        assertPrimitive(schema.getType("amounts").asGroupType().getType(0).asGroupType().getType(0),
                Type.Repetition.OPTIONAL, PrimitiveTypeName.INT64, LogicalTypeAnnotation.decimalType(2, 12));
        assertPrimitive(schema.getType("stamps").asGroupType().getType(0).asGroupType().getType(0),
                Type.Repetition.OPTIONAL, PrimitiveTypeName.INT64,
                LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        for (ColumnChunkMetaData chunk : footer.getBlocks().get(0).getColumns()) {
            assertThat(chunk.getCodec()).isEqualTo(CompressionCodecName.SNAPPY);
        }
        assertThat(footer.getBlocks()).hasSize(1);
    }

    private static void assertPrimitive(Type type, Type.Repetition repetition, PrimitiveTypeName physical,
                                        LogicalTypeAnnotation logical) {
        PrimitiveType p = type.asPrimitiveType();
        assertThat(p.getRepetition()).as(type.getName()).isEqualTo(repetition);
        assertThat(p.getPrimitiveTypeName()).as(type.getName()).isEqualTo(physical);
        assertThat(p.getLogicalTypeAnnotation()).as(type.getName()).isEqualTo(logical);
    }

    @Test
    void athenaTypesMatchTheWrittenSchema() {
        List<String> types = new ArrayList<>();
        for (Column c : FormatFixtures.SHAPE.columns()) {
            types.add(c.name() + " " + AthenaTypes.columnType(c));
        }
        assertThat(types).containsExactly("id bigint", "flag boolean", "small smallint", "num int", "f4 float",
                "f8 double", "amount decimal(12,2)", "big decimal(38,10)", "anynum string", "name string",
                "code string", "doc string", "raw_json string", "uid string", "day date", "at timestamp",
                "attz timestamp", "bytes binary", "t string", "ival string", "addr string", "ints array<int>",
                "texts array<string>", "amounts array<decimal(12,2)>", "stamps array<timestamp>");
        assertThat(AthenaTypes.columnType(new Column("n", "numeric(5)", 1700, false))).isEqualTo("decimal(5,0)");
        assertThat(AthenaTypes.columnType(new Column("n", "numeric(60,2)", 1700, false))).isEqualTo("string");
    }

    @Test
    void decimalsOfEveryPhysicalWidthKeepTheirDigits() throws Exception {
        TableShape shape = new TableShape(List.of(new Column("p9", "numeric(9,3)", 1700, false),
                new Column("p18", "numeric(18,0)", 1700, false), new Column("p19", "numeric(19,19)", 1700, false),
                new Column("p38", "numeric(38,0)", 1700, false)), List.of());
        List<Object[]> rows = List.of(
                new Object[] {new BigDecimal("999999.999"), new BigDecimal("999999999999999999"),
                        new BigDecimal("0.9999999999999999999"), new BigDecimal("9".repeat(38))},
                new Object[] {new BigDecimal("-999999.999"), new BigDecimal("-999999999999999999"),
                        new BigDecimal("-0.0000000000000000001"), new BigDecimal("-" + "9".repeat(38))});
        Path file = dir.resolve("d.parquet");
        format.write(shape, rows, file);
        List<Object[]> back = format.read(shape, file);
        assertThat(back.get(0)).containsExactly(rows.get(0));
        assertThat(back.get(1)).containsExactly(rows.get(1));
    }

    @Test
    void valuesParquetCannotHoldFailNamingColumnAndValue() {
        Path file = dir.resolve("x.parquet");
        assertThatThrownBy(() -> format.write(shape("n", "numeric(12,2)", 1700), rowOf(Double.NaN), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'n' (numeric(12,2))").hasMessageContaining("NaN");
        assertThatThrownBy(() -> format.write(shape("n", "numeric", 1700), rowOf(Double.POSITIVE_INFINITY), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'n' (numeric)").hasMessageContaining("Infinity");
        assertThatThrownBy(() -> format.write(shape("d", "date", 1082), rowOf(LocalDate.MAX), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'd' (date)").hasMessageContaining("infinity");
        assertThatThrownBy(() -> format.write(shape("ts", "timestamp without time zone", 1114),
                rowOf(LocalDateTime.MIN), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'ts'").hasMessageContaining("-infinity");
        assertThatThrownBy(() -> format.write(shape("tz", "timestamp with time zone", 1184),
                rowOf(OffsetDateTime.MAX), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'tz'").hasMessageContaining("infinity");
        assertThatThrownBy(() -> format.write(shape("m", "integer[]", 1007), rowOf(List.of(List.of(1, 2))), file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'm' (integer[])").hasMessageContaining("one dimension");
        assertThatThrownBy(() -> format.write(shape("n", "numeric(4,2)", 1700), rowOf(new BigDecimal("123.45")),
                file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column 'n' (numeric(4,2))").hasMessageContaining("123.45");
    }

    @Test
    void nullInANotNullColumnFails() {
        TableShape shape = new TableShape(List.of(new Column("id", "bigint", 20, true)), List.of("id"));
        assertThatThrownBy(() -> format.write(shape, rowOf((Object) null), dir.resolve("n.parquet")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'id' (bigint) is NOT NULL");
    }

    @Test
    void overwritesAnExistingFile() throws Exception {
        Path file = dir.resolve("o.parquet");
        Files.writeString(file, "not parquet");
        TableShape shape = shape("n", "integer", 23);
        format.write(shape, rowOf(5), file);
        assertThat(format.read(shape, file).get(0)).containsExactly(5);
    }

    private static TableShape shape(String name, String sqlType, int oid) {
        return new TableShape(List.of(new Column(name, sqlType, oid, false)), List.of());
    }

    private static List<Object[]> rowOf(Object v) {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {v});
        return rows;
    }

    @Test
    void anEmptyBatchRoundTrips() throws Exception {
        Path file = dir.resolve("empty.parquet");
        format.write(FormatFixtures.SHAPE, List.of(), file);
        assertThat(format.read(FormatFixtures.SHAPE, file)).isEmpty();
    }
}
