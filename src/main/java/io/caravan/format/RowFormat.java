package io.caravan.format;

import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file format for rows: writes one batch of a table to one file and reads it back. Used by the s3 and file
 * destinations, one file per batch (a batch holds at most {@code batch_size} rows, so a file is built in memory and
 * memory stays bounded by the batch).
 *
 * <p>Values going in are in shape column order, typed as {@link io.caravan.dialect.postgres.PgBinaryCodec#decode}
 * returns them, as {@link #read} returns them, or as plain Java values a {@code process_dict} step may set (any
 * {@link Number}, ISO-8601 text for dates and timestamps, {@link java.time.Instant}, {@code Object[]} for arrays).
 * What {@link #read} returns, by column type (the normalization a round trip applies):
 *
 * <table>
 *   <caption>Java types read() returns</caption>
 *   <tr><th>column type</th><th>Java type</th></tr>
 *   <tr><td>bool</td><td>Boolean</td></tr>
 *   <tr><td>int2 / int4 / int8, oid</td><td>Short / Integer / Long</td></tr>
 *   <tr><td>float4 / float8</td><td>Float / Double</td></tr>
 *   <tr><td>numeric</td><td>BigDecimal (the scale as written; JSONL and CSV also Double NaN/±Infinity)</td></tr>
 *   <tr><td>text, varchar, bpchar, name, "char"</td><td>String</td></tr>
 *   <tr><td>json, jsonb</td><td>String, the JSON text (JSONL: line breaks between tokens become spaces)</td></tr>
 *   <tr><td>uuid</td><td>String ({@code 8-4-4-4-12} lower-case hex)</td></tr>
 *   <tr><td>date</td><td>LocalDate</td></tr>
 *   <tr><td>timestamp</td><td>LocalDateTime</td></tr>
 *   <tr><td>timestamptz</td><td>OffsetDateTime at UTC (the same instant)</td></tr>
 *   <tr><td>bytea</td><td>byte[]</td></tr>
 *   <tr><td>time, timetz, interval, inet, cidr, macaddr</td><td>String, PostgreSQL's text output</td></tr>
 *   <tr><td>arrays</td><td>List of the element types above, null for NULL elements</td></tr>
 * </table>
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface RowFormat {

    /** @return the format; never null */
    DestinationSpec.FileFormat format();

    /** @return file extension without dot: {@code parquet}, {@code jsonl}, {@code csv} */
    String extension();

    /**
     * Writes rows to a new file at {@code file}, replacing any file there. The parent folder must exist.
     *
     * @param shape the table's columns; never null
     * @param rows  values in shape column order, null for SQL NULL, in the types the class javadoc lists; never null
     *              (empty writes a file with no rows)
     * @param file  where to write; never null
     * @throws IOException              when the file cannot be written
     * @throws IllegalArgumentException naming the column and value when a value cannot be written in this format (for
     *                                  example NaN in a Parquet decimal column) or does not fit the column's type
     */
    void write(TableShape shape, List<Object[]> rows, Path file) throws IOException;

    /**
     * Reads a file written by {@link #write} with the same shape.
     *
     * @param shape the table's columns; never null
     * @param file  the file; never null
     * @return the rows in file order, values in shape column order and in the types the class javadoc lists (which
     *         {@link #write} accepts again); never null
     * @throws IOException              when the file cannot be read or is not in this format
     * @throws IllegalArgumentException naming the column when a value does not fit the column's type
     */
    List<Object[]> read(TableShape shape, Path file) throws IOException;

    /**
     * @param format a file format; never null
     * @return the format's implementation
     */
    static RowFormat of(DestinationSpec.FileFormat format) {
        return switch (format) {
            case PARQUET -> new ParquetFormat();
            case JSONL -> new JsonlFormat();
            case CSV -> new CsvFormat();
        };
    }
}
