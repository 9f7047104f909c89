package io.caravan.api;

import java.util.Map;

/**
 * The DMS seed's {@code get_table_name(record)}: names the destination table of one record (unqualified; each
 * destination adds its schema). Named in a mapping by class ({@code get_table_name: com.acme.Route}); the class
 * needs a public no-argument constructor. By default every record goes to a table named like its source table.
 */
@FunctionalInterface
public interface GetTableName {

    /**
     * @param record the record, after {@link ProcessDict}
     * @return the destination table's name; null for the default (the source table's name)
     */
    String tableName(Map<String, Object> record);
}
