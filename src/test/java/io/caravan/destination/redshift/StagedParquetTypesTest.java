package io.caravan.destination.redshift;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.dialect.redshift.RedshiftType;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract between the staged Parquet files and the staging table: COPY from Parquet loads a column only into a
 * type Redshift maps its Parquet type to (Redshift Database Developer Guide, "COPY from columnar data formats"). The
 * file is written as the destination writes it and its types read back by DuckDB, an independent Parquet reader.
 */
class StagedParquetTypesTest {

    @TempDir
    Path dir;

    @Test
    void everyStagedParquetTypeLoadsIntoItsStagingColumn() throws Exception {
        // PostgreSQL type, type OID, the staging column's Redshift type, the Parquet type as DuckDB reads it
        Object[][] cases = {
            {"smallint", 21, "SMALLINT", "SMALLINT"},
            {"integer", 23, "INTEGER", "INTEGER"},
            {"bigint", 20, "BIGINT", "BIGINT"},
            {"real", 700, "REAL", "FLOAT"},
            {"double precision", 701, "DOUBLE PRECISION", "DOUBLE"},
            {"boolean", 16, "BOOLEAN", "BOOLEAN"},
            {"date", 1082, "DATE", "DATE"},
            {"numeric(12,2)", 1700, "DECIMAL(12,2)", "DECIMAL(12,2)"},
            {"numeric(38,10)", 1700, "DECIMAL(38,10)", "DECIMAL(38,10)"},
            {"numeric", 1700, "VARCHAR(65535)", "VARCHAR"},
            {"timestamp without time zone", 1114, "TIMESTAMP", "TIMESTAMP"},
            {"timestamp with time zone", 1184, "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"},
            {"time without time zone", 1083, "VARCHAR(64)", "VARCHAR"},
            {"time with time zone", 1266, "VARCHAR(64)", "VARCHAR"},
            {"text", 25, "VARCHAR(65535)", "VARCHAR"},
            {"character varying(10)", 1043, "VARCHAR(40)", "VARCHAR"},
            {"character(3)", 1042, "VARCHAR(12)", "VARCHAR"},
            {"json", 114, "VARCHAR(65535)", "VARCHAR"},
            {"jsonb", 3802, "VARCHAR(65535)", "VARCHAR"},
            {"uuid", 2950, "CHAR(36)", "VARCHAR"},
            {"bytea", 17, "VARBYTE(1024000)", "BLOB"},
            {"interval", 1186, "VARCHAR(65535)", "VARCHAR"},
            {"integer[]", 1007, "SUPER", "INTEGER[]"},
        };
        List<Column> columns = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < cases.length; i++) {
            String name = "c" + i;
            columns.add(new Column(name, (String) cases[i][0], (Integer) cases[i][1], false));
            assertThat(RedshiftType.of((String) cases[i][0]).stage()).as("%s", cases[i][0]).isEqualTo(cases[i][2]);
            expected.put(name, cases[i][0] + " -> " + cases[i][3]);
        }
        Path file = dir.resolve("stage.parquet");
        RowFormat.of(DestinationSpec.FileFormat.PARQUET).write(new TableShape(columns, List.of()),
                List.<Object[]>of(new Object[columns.size()]), file);

        Map<String, String> actual = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
            int i = 0;
            while (rs.next()) {
                actual.put(rs.getString("column_name"), cases[i++][0] + " -> " + rs.getString("column_type"));
            }
        }
        assertThat(actual).containsExactlyEntriesOf(expected);
    }
}
