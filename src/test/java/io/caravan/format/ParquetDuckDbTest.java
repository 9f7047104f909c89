package io.caravan.format;

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

/** DuckDB, an independent Parquet reader, reads the files with the intended types and values. */
class ParquetDuckDbTest {

    @TempDir
    Path dir;

    @Test
    void duckDbReadsTypesAndValues() throws Exception {
        Path file = dir.resolve("t.parquet");
        RowFormat.of(DestinationSpec.FileFormat.PARQUET).write(FormatFixtures.SHAPE, FormatFixtures.rows(), file);
        String from = " FROM read_parquet('" + file + "')";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement()) {
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT *" + from)) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
            assertThat(types).containsExactly(
                    Map.entry("id", "BIGINT"), Map.entry("flag", "BOOLEAN"), Map.entry("small", "SMALLINT"),
                    Map.entry("num", "INTEGER"), Map.entry("f4", "FLOAT"), Map.entry("f8", "DOUBLE"),
                    Map.entry("amount", "DECIMAL(12,2)"), Map.entry("big", "DECIMAL(38,10)"),
                    Map.entry("anynum", "VARCHAR"), Map.entry("name", "VARCHAR"), Map.entry("code", "VARCHAR"),
                    Map.entry("doc", "VARCHAR"), Map.entry("raw_json", "VARCHAR"), Map.entry("uid", "VARCHAR"),
                    Map.entry("day", "DATE"), Map.entry("at", "TIMESTAMP"),
                    Map.entry("attz", "TIMESTAMP WITH TIME ZONE"), Map.entry("bytes", "BLOB"),
                    Map.entry("t", "VARCHAR"), Map.entry("ival", "VARCHAR"), Map.entry("addr", "VARCHAR"),
                    Map.entry("ints", "INTEGER[]"), Map.entry("texts", "VARCHAR[]"),
                    Map.entry("amounts", "DECIMAL(12,2)[]"), Map.entry("stamps", "TIMESTAMP WITH TIME ZONE[]"));
            st.execute("SET TimeZone = 'UTC'");
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id, small, amount::VARCHAR, big::VARCHAR, anynum, name = '"
                    + FormatFixtures.UNICODE.replace("'", "''") + "', doc::JSON->>'ü', uid, day::VARCHAR,"
                    + " epoch_us(\"at\"), epoch_us(attz), hex(bytes), ints::VARCHAR, texts::VARCHAR,"
                    + " amounts::VARCHAR, len(stamps), addr" + from + " ORDER BY id")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(String.join("|", row));
                }
            }
            assertThat(rows).containsExactly(
                    "-9223372036854775808|0|0.00|-0.0000000001|100|false|null|00000000-0000-0000-0000-000000000000"
                            + "|0001-01-01|9223372036854775|-2208988800000000||[]|[NULL]|[]|2|2001:db8::1",
                    "1|-32768|-1234567890.12|1234567890123456789012345678.0123456789"
                            + "|3.14159265358979323846264338327950288419716939937510582097494459|true|x\ny"
                            + "|8c1a3f2e-6b7d-4e0f-9a1b-2c3d4e5f6a7b|2024-02-29|-1|1717160709123456|000102FF0A2C"
                            + "|[1, NULL, -3]|[a, '', NULL, 'x,\"y\"\n']|[1.50, -0.01]|1|192.168.0.1/24",
                    "2|null|null|null|null|null|null|null|null|null|null|null|null|null|null|null|null");
        }
    }
}
