package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apache Parquet through parquet-java ({@code parquet-hadoop}) on local files ({@link LocalOutputFile},
 * {@link PlainParquetConfiguration}: no Hadoop file system or configuration is used). Snappy compression, one row
 * group per file (a file holds one batch). The Parquet types per column are those {@link AthenaTypes} lists: NOT NULL
 * columns are {@code required}, others {@code optional}; field names are the column names as given; arrays are
 * 3-level LISTs ({@code <name> (LIST) { repeated group list { optional <type> element } }}).
 *
 * <p>Values Parquet cannot hold fail the write with an {@link IllegalArgumentException} naming the column and value:
 * numeric NaN and ±Infinity in a decimal column, date and timestamp ±infinity, timestamps outside the INT64
 * microsecond range (years 1677..2262 are safe beyond that), decimals with more digits than the column's precision,
 * and arrays of more than one dimension. Cast such columns in the source read (e.g. to text) to write them.
 */
final class ParquetFormat implements RowFormat {

    /** Rows per file stay below this in practice (batch_size); the row group holds them all. */
    private static final long ROW_GROUP_BYTES = 256L * 1024 * 1024;

    private static final long MICROS_PER_SECOND = 1_000_000L;

    @Override
    public DestinationSpec.FileFormat format() {
        return DestinationSpec.FileFormat.PARQUET;
    }

    @Override
    public String extension() {
        return "parquet";
    }

    /**
     * @param shape the table's columns; never null
     * @return the Parquet schema {@link #write} writes for the shape
     */
    static MessageType schema(TableShape shape) {
        List<Type> fields = new ArrayList<>();
        for (Column c : shape.columns()) {
            fields.add(field(ColumnType.of(c), c.notNull() ? Type.Repetition.REQUIRED : Type.Repetition.OPTIONAL,
                    c.name()));
        }
        return new MessageType("schema", fields);
    }

    private static Type field(ColumnType t, Type.Repetition repetition, String name) {
        return switch (t.kind()) {
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case INT16 -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
            case FLOAT64 -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case DECIMAL -> decimalField(t, repetition, name);
            case DATE -> Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.dateType()).named(name);
            case TIMESTAMP, TIMESTAMPTZ -> Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(t.kind() == ColumnType.Kind.TIMESTAMPTZ,
                            LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
            case LIST -> Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType())
                    .addField(new GroupType(Type.Repetition.REPEATED, "list",
                            field(t.element(), Type.Repetition.OPTIONAL, "element")))
                    .named(name);
            case NUMERIC_TEXT, TEXT, JSON, UUID, TEXT_FORM -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType()).named(name);
        };
    }

    private static Type decimalField(ColumnType t, Type.Repetition repetition, String name) {
        LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
        if (t.precision() <= 9) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition).as(decimal).named(name);
        }
        if (t.precision() <= 18) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition).as(decimal).named(name);
        }
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition).length(decimalBytes(t.precision()))
                .as(decimal).named(name);
    }

    /** @return the fewest bytes whose two's complement holds every unscaled value of {@code precision} digits */
    static int decimalBytes(int precision) {
        return (BigInteger.TEN.pow(precision).subtract(BigInteger.ONE).bitLength() + 1 + 7) / 8;
    }

    /** Rows sampled per column to choose dictionary encoding. */
    private static final int SAMPLE_ROWS = 1000;

    @Override
    public void write(TableShape shape, List<Object[]> rows, Path file) throws IOException {
        Builder builder = new Builder(file, shape)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withCodecFactory(SnappyCodecs.INSTANCE)
                .withRowGroupSize(ROW_GROUP_BYTES);
        for (int i = 0; i < shape.columns().size(); i++) {
            Column c = shape.columns().get(i);
            ColumnType.Kind kind = ColumnType.of(c).kind();
            boolean text = kind == ColumnType.Kind.TEXT || kind == ColumnType.Kind.TEXT_FORM;
            if (!dictionary(ColumnType.of(c)) || text && !repeats(rows, i)) {
                builder.withDictionaryEncoding(dictionaryPath(c, ColumnType.of(c)), false);
            }
        }
        try (ParquetWriter<Object[]> writer = builder.build()) {
            for (Object[] row : rows) {
                writer.write(row);
            }
        }
    }

    /**
     * Dictionary encoding pays where values repeat: text-like columns (kinds, codes, states), small integers,
     * booleans and dates. Keys, timestamps, amounts, floats, json and bytea are mostly distinct: hashing every value
     * into a dictionary that is then dropped only costs time, so those columns are written plain.
     */
    private static boolean dictionary(ColumnType t) {
        return switch (t.kind()) {
            case TEXT, TEXT_FORM, INT16, INT32, DATE, BOOLEAN -> true;
            case LIST -> dictionary(t.element());
            default -> false;
        };
    }

    /**
     * Text columns may hold codes that repeat or notes that never do. A sample of the batch decides: at most half
     * of its first {@value #SAMPLE_ROWS} values distinct keeps the dictionary (the profile of a 2M-row dump spent
     * 43% of its time filling dictionaries of unique text that the writer then dropped).
     *
     * @return true when the column's sampled values repeat enough for a dictionary
     */
    private static boolean repeats(List<Object[]> rows, int column) {
        int n = Math.min(rows.size(), SAMPLE_ROWS);
        java.util.Set<Object> distinct = new java.util.HashSet<>();
        for (int r = 0; r < n; r++) {
            Object v = rows.get(r)[column];
            distinct.add(v);
        }
        return distinct.size() * 2 <= Math.max(n, 2);
    }

    /** @return the dotted column path of the column's leaf, e.g. {@code tags.list.element} */
    private static String dictionaryPath(Column c, ColumnType t) {
        return t.kind() == ColumnType.Kind.LIST ? c.name() + ".list.element" : c.name();
    }

    /** The writer's builder; the Hadoop-typed overloads are never called (a {@link ParquetConfiguration} is set). */
    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final TableShape shape;

        Builder(Path file, TableShape shape) {
            super(new LocalOutputFile(file));
            this.shape = shape;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in parquet-java, so it must be implemented; never called here
        protected WriteSupport<Object[]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(shape);
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(shape);
        }
    }

    /** Writes one {@code Object[]} row as one Parquet record. */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final List<Column> columns;
        private final ColumnType[] types;
        private final MessageType schema;
        private RecordConsumer out;

        RowWriteSupport(TableShape shape) {
            this.columns = shape.columns();
            this.types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
            this.schema = schema(shape);
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in parquet-java, so it must be implemented; never called here
        public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            if (row.length != types.length) {
                throw new IllegalArgumentException("a row has " + row.length + " values but the table has "
                        + types.length + " columns");
            }
            out.startMessage();
            for (int i = 0; i < types.length; i++) {
                Column c = columns.get(i);
                Object v = Values.canonical(c, types[i], row[i]);
                if (v == null) {
                    if (c.notNull()) {
                        throw new IllegalArgumentException(Values.describe(c) + " is NOT NULL but a row holds NULL");
                    }
                    continue;
                }
                out.startField(c.name(), i);
                writeValue(c, types[i], v);
                out.endField(c.name(), i);
            }
            out.endMessage();
        }

        private void writeValue(Column c, ColumnType t, Object v) {
            switch (t.kind()) {
                case BOOLEAN -> out.addBoolean((Boolean) v);
                case INT16 -> out.addInteger((Short) v);
                case INT32 -> out.addInteger((Integer) v);
                case INT64 -> out.addLong((Long) v);
                case FLOAT32 -> out.addFloat((Float) v);
                case FLOAT64 -> out.addDouble((Double) v);
                case DECIMAL -> writeDecimal(c, t, v);
                case DATE -> out.addInteger(Math.toIntExact(epochDay(c, (LocalDate) v)));
                case TIMESTAMP -> out.addLong(micros(c, (LocalDateTime) v));
                case TIMESTAMPTZ -> out.addLong(micros(c, (OffsetDateTime) v));
                case BYTES -> out.addBinary(Binary.fromConstantByteArray((byte[]) v));
                case NUMERIC_TEXT -> out.addBinary(Binary.fromString(numericText(c, v)));
                case LIST -> writeList(c, t, (List<?>) v);
                default -> out.addBinary(Binary.fromString((String) v)); // TEXT, JSON, UUID, TEXT_FORM
            }
        }

        private void writeList(Column c, ColumnType t, List<?> list) {
            out.startGroup();
            if (!list.isEmpty()) {
                out.startField("list", 0);
                for (Object e : list) {
                    if (e instanceof List<?>) {
                        throw new IllegalArgumentException(Values.describe(c) + ": Parquet holds arrays of one"
                                + " dimension but a row holds " + Values.show(list)
                                + "; cast the column to text or json in the source read");
                    }
                    out.startGroup();
                    if (e != null) {
                        out.startField("element", 0);
                        writeValue(c, t.element(), e);
                        out.endField("element", 0);
                    }
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
        }

        private void writeDecimal(Column c, ColumnType t, Object v) {
            if (!(v instanceof BigDecimal d)) {
                throw unsupported(c, v, "Parquet decimals hold no NaN or infinity");
            }
            BigDecimal scaled;
            try {
                scaled = d.setScale(t.scale(), java.math.RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw unsupported(c, v, "it has more than " + t.scale() + " fraction digits");
            }
            if (scaled.precision() > t.precision()) {
                throw unsupported(c, v, "it has more than " + t.precision() + " digits");
            }
            BigInteger unscaled = scaled.unscaledValue();
            if (t.precision() <= 9) {
                out.addInteger(unscaled.intValue());
            } else if (t.precision() <= 18) {
                out.addLong(unscaled.longValue());
            } else {
                byte[] raw = unscaled.toByteArray();
                byte[] fixed = new byte[decimalBytes(t.precision())];
                byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0);
                int offset = fixed.length - raw.length;
                for (int i = 0; i < offset; i++) {
                    fixed[i] = pad;
                }
                System.arraycopy(raw, 0, fixed, offset, raw.length);
                out.addBinary(Binary.fromConstantByteArray(fixed));
            }
        }
    }

    private static String numericText(Column c, Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        throw unsupported(c, v, "Parquet cannot hold numeric NaN or infinity (the column is written as text and"
                + " readers expect digits)");
    }

    private static long epochDay(Column c, LocalDate d) {
        if (d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)) {
            throw unsupported(c, d.equals(LocalDate.MAX) ? "infinity" : "-infinity", "Parquet dates hold no infinity");
        }
        return d.toEpochDay();
    }

    private static long micros(Column c, LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN)) {
            throw unsupported(c, t.equals(LocalDateTime.MAX) ? "infinity" : "-infinity",
                    "Parquet timestamps hold no infinity");
        }
        return micros(c, t.toEpochSecond(ZoneOffset.UTC), t.getNano(), t);
    }

    private static long micros(Column c, OffsetDateTime t) {
        if (t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN)) {
            throw unsupported(c, t.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity",
                    "Parquet timestamps hold no infinity");
        }
        return micros(c, t.toEpochSecond(), t.getNano(), t);
    }

    private static long micros(Column c, long epochSecond, int nanos, Object v) {
        try {
            return Math.addExact(Math.multiplyExact(epochSecond, MICROS_PER_SECOND), nanos / 1000);
        } catch (ArithmeticException e) {
            throw unsupported(c, v, "it is outside the INT64 microsecond range");
        }
    }

    private static IllegalArgumentException unsupported(Column c, Object v, String why) {
        return new IllegalArgumentException(Values.describe(c) + ": cannot write " + Values.show(v)
                + " to Parquet: " + why + "; cast the column to text in the source read to keep such values");
    }

    @Override
    public List<Object[]> read(TableShape shape, Path file) throws IOException {
        List<Column> columns = shape.columns();
        ColumnType[] types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
        List<Object[]> rows = new ArrayList<>();
        try (ParquetFileReader reader = open(file)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            int[] positions = new int[types.length];
            for (int i = 0; i < types.length; i++) {
                String name = columns.get(i).name();
                positions[i] = schema.containsField(name) ? schema.getFieldIndex(name) : -1;
            }
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    Group g = records.read();
                    Object[] row = new Object[types.length];
                    for (int i = 0; i < types.length; i++) {
                        if (positions[i] >= 0 && g.getFieldRepetitionCount(positions[i]) > 0) {
                            row[i] = readValue(g, positions[i], types[i]);
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * @param file a Parquet file; never null
     * @return a reader of the file that needs no Hadoop classes (the options builder with a configuration would
     *         create Hadoop's codec factory)
     * @throws IOException when the file cannot be opened or its footer read
     */
    static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).withCodecFactory(SnappyCodecs.INSTANCE)
                        .build());
    }

    private static Object readValue(Group g, int field, ColumnType t) {
        return switch (t.kind()) {
            case BOOLEAN -> g.getBoolean(field, 0);
            case INT16 -> (short) g.getInteger(field, 0);
            case INT32 -> g.getInteger(field, 0);
            case INT64 -> g.getLong(field, 0);
            case FLOAT32 -> g.getFloat(field, 0);
            case FLOAT64 -> g.getDouble(field, 0);
            case DECIMAL -> new BigDecimal(t.precision() <= 9 ? BigInteger.valueOf(g.getInteger(field, 0))
                    : t.precision() <= 18 ? BigInteger.valueOf(g.getLong(field, 0))
                    : new BigInteger(g.getBinary(field, 0).getBytes()), t.scale());
            case NUMERIC_TEXT -> new BigDecimal(g.getString(field, 0));
            case DATE -> LocalDate.ofEpochDay(g.getInteger(field, 0));
            case TIMESTAMP -> timestamp(g.getLong(field, 0));
            case TIMESTAMPTZ -> timestamp(g.getLong(field, 0)).atOffset(ZoneOffset.UTC);
            case BYTES -> g.getBinary(field, 0).getBytes();
            case LIST -> {
                Group list = g.getGroup(field, 0);
                int n = list.getFieldRepetitionCount(0);
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Group element = list.getGroup(0, i);
                    values.add(element.getFieldRepetitionCount(0) == 0 ? null : readValue(element, 0, t.element()));
                }
                yield values;
            }
            default -> new String(g.getBinary(field, 0).getBytes(), StandardCharsets.UTF_8);
        };
    }

    private static LocalDateTime timestamp(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }
}
