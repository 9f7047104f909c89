package io.caravan.batch;

/**
 * The rows of a batch bound for one destination table.
 *
 * @param table destination table name (unqualified; the destination adds its schema); never null
 * @param rows  the rows; never null
 */
public record BatchPart(String table, RowData rows) {
}
