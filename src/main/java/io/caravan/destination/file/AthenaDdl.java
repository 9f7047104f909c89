package io.caravan.destination.file;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.format.AthenaTypes;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * The Athena {@code CREATE EXTERNAL TABLE} statement of one table folder an s3 or file destination writes in
 * Parquet. Columns and types come from {@link AthenaTypes}; the folder's partition columns (see
 * {@link ObjectDestination}) become {@code PARTITIONED BY} columns with partition projection, so that new folders
 * are visible without {@code MSCK REPAIR TABLE} (Athena documentation, "Partition projection with Amazon Athena"):
 * <ul>
 *   <li>{@code year}, {@code month}: {@code integer} projections over years {@value #FIRST_YEAR} to
 *       {@value #LAST_YEAR} and months 1 to 12 written with 2 digits. Rows in Hive's default partition (a NULL or
 *       unreadable partition value) are outside the projection; query them with Hive-style partitions instead
 *       (drop the TBLPROPERTIES and run {@code MSCK REPAIR TABLE}).</li>
 *   <li>{@code migration_snapshot_date} (dumping): an {@code injected} projection, so a query must name the
 *       snapshot, e.g. {@code WHERE migration_snapshot_date = '2024-05-01T10-00-00Z'} (the folders of
 *       {@code _SUCCESS}-marked snapshots list the values).</li>
 * </ul>
 * The table name is the folder name ({@code <table><suffix>}) lower-cased, with characters other than letters,
 * digits and {@code _} replaced by {@code _} (Athena's rule for table names). A source column called {@code year},
 * {@code month} or {@code migration_snapshot_date} clashes with the partition columns; Athena then refuses the DDL.
 */
public final class AthenaDdl {

    /** First year of the year projection. */
    public static final int FIRST_YEAR = 1900;
    /** Last year of the year projection. */
    public static final int LAST_YEAR = 2100;

    private AthenaDdl() {
    }

    /**
     * @param folderName  the table folder without slash, {@code <table><suffix>}; never null
     * @param location    URI of the folder ending in {@code /}, e.g. {@code s3://bucket/orders/}; never null
     * @param shape       the columns; never null
     * @param snapshots   true for dumping: the folder holds {@code migration_snapshot_date=...} folders
     * @param partitioned true when the table has {@code partition_col}: {@code year=.../month=...} folders
     * @return the statement, ending in {@code ;} and a line break
     */
    public static String createTable(String folderName, String location, TableShape shape, boolean snapshots,
                                     boolean partitioned) {
        StringBuilder sb = new StringBuilder();
        sb.append("CREATE EXTERNAL TABLE IF NOT EXISTS `").append(tableName(folderName)).append("` (\n");
        StringJoiner cols = new StringJoiner(",\n");
        for (Column c : shape.columns()) {
            cols.add("  `" + c.name().replace("`", "``") + "` " + AthenaTypes.columnType(c));
        }
        sb.append(cols).append("\n)\n");
        StringJoiner parts = new StringJoiner(", ");
        String template = location;
        if (snapshots) {
            parts.add("`migration_snapshot_date` string");
            template += "migration_snapshot_date=${migration_snapshot_date}/";
        }
        if (partitioned) {
            parts.add("`year` int").add("`month` int");
            template += "year=${year}/month=${month}/";
        }
        if (parts.length() > 0) {
            sb.append("PARTITIONED BY (").append(parts).append(")\n");
        }
        sb.append("STORED AS PARQUET\n");
        sb.append("LOCATION '").append(location.replace("'", "\\'")).append("'");
        if (parts.length() > 0) {
            StringJoiner props = new StringJoiner(",\n", "\nTBLPROPERTIES (\n", "\n)");
            props.add("  'projection.enabled' = 'true'");
            if (snapshots) {
                props.add("  'projection.migration_snapshot_date.type' = 'injected'");
            }
            if (partitioned) {
                props.add("  'projection.year.type' = 'integer'");
                props.add("  'projection.year.range' = '" + FIRST_YEAR + "," + LAST_YEAR + "'");
                props.add("  'projection.month.type' = 'integer'");
                props.add("  'projection.month.range' = '1,12'");
                props.add("  'projection.month.digits' = '2'");
            }
            props.add("  'storage.location.template' = '" + template.replace("'", "\\'") + "'");
            sb.append(props);
        }
        return sb.append(";\n").toString();
    }

    /**
     * @param folderName {@code <table><suffix>}
     * @return the Athena table name: lower case, characters other than {@code [a-z0-9_]} replaced by {@code _}
     */
    public static String tableName(String folderName) {
        return folderName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
