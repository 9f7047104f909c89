package io.caravan.destination.file;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Athena DDL of table folders. */
class AthenaDdlTest {

    @Test
    void monthlyPartitionsUseIntegerProjections() {
        String ddl = AthenaDdl.createTable("orders_lake", "s3://bucket/orders_lake/", ObjectRuns.SHAPE, false, true);
        assertThat(ddl).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `orders_lake` (\n  `id` bigint,\n")
                .contains("\n  `amount` decimal(12,2),\n")
                .endsWith("""
                        )
                        PARTITIONED BY (`year` int, `month` int)
                        STORED AS PARQUET
                        LOCATION 's3://bucket/orders_lake/'
                        TBLPROPERTIES (
                          'projection.enabled' = 'true',
                          'projection.year.type' = 'integer',
                          'projection.year.range' = '1900,2100',
                          'projection.month.type' = 'integer',
                          'projection.month.range' = '1,12',
                          'projection.month.digits' = '2',
                          'storage.location.template' = 's3://bucket/orders_lake/year=${year}/month=${month}/'
                        );
                        """);
    }

    @Test
    void dumpingSnapshotsAreAnInjectedPartition() {
        String ddl = AthenaDdl.createTable("Orders-2", "s3://b/Orders-2/", ObjectRuns.SHAPE, true, false);
        assertThat(ddl).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `orders_2` (")
                .contains("PARTITIONED BY (`migration_snapshot_date` string)\n")
                .contains("'projection.migration_snapshot_date.type' = 'injected'")
                .contains("'storage.location.template' = "
                        + "'s3://b/Orders-2/migration_snapshot_date=${migration_snapshot_date}/'")
                .doesNotContain("projection.year");
    }

    @Test
    void anUnpartitionedTableHasNoProperties() {
        String ddl = AthenaDdl.createTable("orders", "s3://b/orders/", ObjectRuns.SHAPE, false, false);
        assertThat(ddl).endsWith(")\nSTORED AS PARQUET\nLOCATION 's3://b/orders/';\n").doesNotContain("PARTITIONED");
    }
}
