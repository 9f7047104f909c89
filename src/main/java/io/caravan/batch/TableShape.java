package io.caravan.batch;

import java.util.List;

/**
 * The columns and primary key of a table as read from the source, after the read's casts (for example
 * {@code strict: false} turns jsonb into text).
 *
 * @param columns    columns in select order; never empty
 * @param primaryKey primary key columns in key order; empty when the table has none
 */
public record TableShape(List<Column> columns, List<String> primaryKey) {

    /**
     * @param name a column name
     * @return the column's position in {@link #columns()}, or -1
     */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param name a column name
     * @return the column
     * @throws IllegalArgumentException naming the table's columns when there is none of that name
     */
    public Column column(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column '" + name + "' (columns: "
                    + columns.stream().map(Column::name).toList() + ")");
        }
        return columns.get(i);
    }
}
