package io.caravan.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * CSV through jackson-dataformat-csv: UTF-8, a header row of the column names, comma separated, fields quoted with
 * {@code "} (doubled inside) as RFC 4180 says whenever they hold a comma, quote or line break (Jackson also quotes
 * some other fields to be safe, e.g. those with leading spaces or {@code +}, which every reader unquotes); lines end
 * with {@code \n} (RFC 4180 names CRLF; common readers, PostgreSQL's and DuckDB's included, take both).
 *
 * <p>NULL is an empty unquoted field and the empty string is {@code ""}, so {@link #read} tells them apart (as
 * PostgreSQL's {@code COPY ... (FORMAT csv)} does by default; DuckDB needs {@code allow_quoted_nulls = false}). Each field holds the JSONL value as text ({@link JsonCells}):
 * numbers plain ({@code NaN}, {@code Infinity}), {@code true}/{@code false}, ISO-8601 dates and timestamps
 * (timestamptz at UTC with {@code Z}), bytea in base64, text as is, json/jsonb as their JSON text, arrays as JSON
 * arrays ({@code [1,null,3]}).
 */
final class CsvFormat implements RowFormat {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .build();

    @Override
    public DestinationSpec.FileFormat format() {
        return DestinationSpec.FileFormat.CSV;
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public void write(TableShape shape, List<Object[]> rows, Path file) throws IOException {
        List<Column> columns = shape.columns();
        ColumnType[] types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\n");
        for (Column c : columns) {
            schema.addColumn(c.name());
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CsvGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.setSchema(schema.build());
            for (Object[] row : rows) {
                // rows as objects: the generator puts NULL fields right only by column name
                g.writeStartObject();
                for (int i = 0; i < types.length; i++) {
                    String cell = cell(types[i], Values.canonical(columns.get(i), types[i], row[i]));
                    g.writeFieldName(columns.get(i).name());
                    if (cell == null) {
                        g.writeNull();
                    } else {
                        g.writeString(cell);
                    }
                }
                g.writeEndObject();
            }
        }
    }

    /** @return the field text of a value in canonical form, or null for NULL */
    private static String cell(ColumnType t, Object v) {
        if (v == null) {
            return null;
        }
        return switch (t.kind()) {
            case DECIMAL, NUMERIC_TEXT -> v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            case DATE, TIMESTAMP, TIMESTAMPTZ -> JsonCells.temporalText(v);
            case BYTES -> Base64.getEncoder().encodeToString((byte[]) v);
            case JSON -> v instanceof String s ? s : JsonCells.jsonText(t, v);
            case LIST -> JsonCells.jsonText(t, v);
            default -> v.toString(); // booleans, integers, floats (NaN, Infinity), text, uuid, text forms
        };
    }

    @Override
    public List<Object[]> read(TableShape shape, Path file) throws IOException {
        List<Column> columns = shape.columns();
        ColumnType[] types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
        List<Object[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CsvParser p = MAPPER.getFactory().createParser(in)) {
            p.setSchema(CsvSchema.emptySchema());
            List<String> header = readRecord(p);
            if (header == null) {
                throw new IOException(file + " has no header row");
            }
            int[] positions = new int[header.size()];
            for (int i = 0; i < header.size(); i++) {
                positions[i] = shape.indexOf(header.get(i));
                if (positions[i] < 0) {
                    throw new IOException(file + ": header column '" + header.get(i)
                            + "' is not a column of the table (columns: "
                            + columns.stream().map(Column::name).toList() + ")");
                }
            }
            List<String> record;
            while ((record = readRecord(p)) != null) {
                if (record.size() != positions.length) {
                    throw new IOException(file + " line " + p.currentLocation().getLineNr() + ": "
                            + record.size() + " fields but the header has " + positions.length);
                }
                Object[] row = new Object[types.length];
                for (int i = 0; i < positions.length; i++) {
                    String text = record.get(i);
                    int c = positions[i];
                    row[c] = text == null ? null : fromCell(columns.get(c), types[c], text);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** @return the next record's fields (null for NULL), or null at the end of the file */
    private static List<String> readRecord(CsvParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("expected a CSV record but found " + t);
        }
        List<String> fields = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            fields.add(t == JsonToken.VALUE_NULL ? null : p.getText());
        }
        return fields;
    }

    private static Object fromCell(Column c, ColumnType t, String text) throws IOException {
        return switch (t.kind()) {
            case JSON -> text;
            case LIST -> {
                try (JsonParser p = JsonCells.FACTORY.createParser(text)) {
                    p.nextToken();
                    yield JsonCells.read(p, c, t, text);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(Values.describe(c) + ": '" + Values.show(text)
                            + "' is not a JSON array: " + e.getOriginalMessage(), e);
                }
            }
            default -> JsonCells.fromText(c, t, text);
        };
    }
}
