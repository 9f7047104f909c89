package io.caravan.source.jdbc;

/**
 * A column of a relational source table, as its database describes it.
 *
 * @param name      the column name, as the database spells it; never null
 * @param type      the base type name in lower case, e.g. {@code tinyint}, {@code varchar2}, {@code datetime2};
 *                  never null
 * @param fullType  the full declaration in lower case, e.g. {@code tinyint(1)}, {@code bigint(20) unsigned},
 *                  {@code enum('a','b')}; the same as {@code type} where the database gives no more; never null
 * @param jdbcType  the {@link java.sql.Types} constant the driver reports
 * @param length    maximum length of character and binary types; 0 or less when not known
 * @param precision digits of numeric types (or the display width MySQL keeps); 0 or less when not known
 * @param scale     digits after the point of numeric types, or fractional-second digits of temporal types
 * @param notNull   true when the column is declared NOT NULL
 */
public record SourceColumn(String name, String type, String fullType, int jdbcType, int length, int precision,
                           int scale, boolean notNull) {
}
