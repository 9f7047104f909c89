package io.caravan.mapping;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded and validated job mapping. The job's name is the file's base name ({@code mappings/shop.yaml} is job
 * {@code shop}).
 *
 * @param name         job name; never null
 * @param file         the mapping file as given; never null
 * @param source       never null
 * @param destinations destinations by name, in file order (a {@code LinkedHashMap}); never empty
 * @param tables       tables in file order; never empty
 * @param processDict  job-wide record transformer class; null for identity
 * @param getTableName job-wide table chooser class; null for "the source table's name"
 * @param redis        where a Kafka source keeps its open batch; null when the mapping has no {@code redis}
 */
public record JobMapping(String name, Path file, SourceSpec source, Map<String, DestinationSpec> destinations,
                         List<TableSpec> tables, String processDict, String getTableName, RedisSpec redis) {

    /** A mapping without {@code redis}. */
    public JobMapping(String name, Path file, SourceSpec source, Map<String, DestinationSpec> destinations,
                      List<TableSpec> tables, String processDict, String getTableName) {
        this(name, file, source, destinations, tables, processDict, getTableName, null);
    }

    /**
     * @param tableName a table's {@code table_name} as written in the mapping
     * @return the table
     * @throws IllegalArgumentException listing the job's tables when there is none of that name
     */
    public TableSpec table(String tableName) {
        for (TableSpec t : tables) {
            if (t.tableName().equals(tableName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("job " + name + " has no table '" + tableName + "'; tables: "
                + tables.stream().map(TableSpec::tableName).toList());
    }
}
