package io.caravan.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines (jsonlines.org): one JSON object per row and line, UTF-8, each line ending in {@code \n}; keys are the
 * column names in shape order, every column present ({@code null} for NULL). Values take the forms
 * {@link JsonCells} lists: exact numbers, ISO-8601 timestamps (timestamptz at UTC with {@code Z}), json columns
 * embedded as JSON, bytea in base64, arrays as JSON arrays.
 */
final class JsonlFormat implements RowFormat {

    @Override
    public DestinationSpec.FileFormat format() {
        return DestinationSpec.FileFormat.JSONL;
    }

    @Override
    public String extension() {
        return "jsonl";
    }

    @Override
    public void write(TableShape shape, List<Object[]> rows, Path file) throws IOException {
        List<Column> columns = shape.columns();
        ColumnType[] types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator g = JsonCells.FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new MinimalPrettyPrinter(""));
            for (Object[] row : rows) {
                g.writeStartObject();
                for (int i = 0; i < types.length; i++) {
                    g.writeFieldName(columns.get(i).name());
                    JsonCells.write(g, types[i], Values.canonical(columns.get(i), types[i], row[i]));
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }

    @Override
    public List<Object[]> read(TableShape shape, Path file) throws IOException {
        List<Column> columns = shape.columns();
        ColumnType[] types = columns.stream().map(ColumnType::of).toArray(ColumnType[]::new);
        List<Object[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(readLine(shape, types, line, file, lineNo));
            }
        }
        return rows;
    }

    private static Object[] readLine(TableShape shape, ColumnType[] types, String line, Path file, int lineNo)
            throws IOException {
        Object[] row = new Object[types.length];
        try (JsonParser p = JsonCells.FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + " line " + lineNo + ": expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int i = shape.indexOf(name);
                p.nextToken();
                if (i < 0) {
                    throw new IOException(file + " line " + lineNo + ": key '" + name
                            + "' is not a column of the table");
                }
                row[i] = JsonCells.read(p, shape.columns().get(i), types[i], line);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " line " + lineNo + ": " + e.getOriginalMessage(), e);
        }
        return row;
    }
}
