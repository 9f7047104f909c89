package io.caravan.mapping;

import java.util.Locale;
import java.util.Map;

/**
 * What a table entry says about reading its source beyond the keys every source shares: the keys of MongoDB
 * {@code collections}, Kafka {@code topics}, HTTP {@code apis} and the {@code casts} of other relational sources
 * (DMS seed, "Collections" and "Topics"; pgloader's cast rules for {@code casts}).
 *
 * @param fields           {@code fields}: field name to the type it is cast to; every other field is a string.
 *                         Empty when absent; never null
 * @param timeDelaySeconds {@code time_delay}: seconds to wait between batches (MongoDB); 0 when absent
 * @param colRename        {@code col_rename}: field name to destination column name (Kafka); empty when absent;
 *                         never null
 * @param casts            {@code casts}: source column to the PostgreSQL type it becomes, e.g. {@code amount:
 *                         numeric(12,2)} (relational sources other than pgsql); empty when absent; never null
 * @param api              the endpoint of an {@code apis} entry; null for other sources
 * @param readConnections  {@code read_connections}: source connections that read key ranges of the table at once
 *                         (relational sources other than pgsql, integer keys); 0 when absent (the dialect's default)
 */
public record SourceOptions(Map<String, FieldType> fields, int timeDelaySeconds, Map<String, String> colRename,
                            Map<String, String> casts, ApiSpec api, int readConnections) {

    /** No options: a pgsql table. */
    public static final SourceOptions NONE = new SourceOptions(Map.of(), 0, Map.of(), Map.of(), null, 0);

    /** Options without {@code read_connections}. */
    public SourceOptions(Map<String, FieldType> fields, int timeDelaySeconds, Map<String, String> colRename,
                         Map<String, String> casts, ApiSpec api) {
        this(fields, timeDelaySeconds, colRename, casts, api, 0);
    }

    /**
     * The seed's {@code fields} types. A value that will not cast gets the seed's default: int 0, float, datetime
     * and bool null.
     */
    public enum FieldType {
        DATETIME, BOOL, INT, FLOAT;

        /** @return the value written in mappings, e.g. {@code datetime} */
        public String wireValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param text a wire value
         * @return the type
         * @throws IllegalArgumentException for another value
         */
        public static FieldType parse(String text) {
            for (FieldType t : values()) {
                if (t.wireValue().equals(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown field type " + text);
        }
    }

    /**
     * A paged JSON endpoint ({@code apis} entry).
     *
     * @param url           the first page's URL, {@code http(s)://...}; never null
     * @param authHeader    value of the {@code Authorization} header, e.g. {@code Bearer ${env:TOKEN}}; null for none
     * @param recordsPath   JSON Pointer of the records array in a page, e.g. {@code /data/items}; empty for a page
     *                      that is itself the array; never null
     * @param pageParam     query parameter carrying the page number, from 1; null when the API pages by bookmark
     * @param bookmarkParam query parameter carrying the last bookmark value read; null when the API pages by number
     */
    public record ApiSpec(String url, Secret authHeader, String recordsPath, String pageParam,
                          String bookmarkParam) {
    }
}
