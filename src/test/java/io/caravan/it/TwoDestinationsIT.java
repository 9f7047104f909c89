package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One job writes every batch to each of its destinations; a pgsql destination's default schema is {@code sql_<db>_dms}. */
class TwoDestinationsIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " amount numeric(12,2), updated_at timestamptz NOT NULL)";
    private static final String COLUMNS = "id, status, amount, updated_at";

    @TempDir
    Path dir;

    @Test
    void everyDestinationEqualsTheSourceAndDefaultSchemaIsNamedAfterTheSourceDatabase() {
        PipelineHarness h = new PipelineHarness(dir, 2);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new', g * 1.5, now() - interval '1 day' + g * interval '1 second'"
                + " FROM generate_series(1, 250) g");
        Path mapping = h.mappingWith("shop", "destination:\n" + h.destinationYaml("a", 0, "dw")
                        + h.destinationYaml("b", 1, null),
                "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n    batch_size: 40\n"
                        + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
        String bSchema = "sql_" + h.sourceDb() + "_dms";

        PipelineHarness.Result first = h.runOk(mapping);
        assertThat(first.out()).containsPattern("shop\\s+orders\\s+a\\s+succeeded\\s+250\\s+250\\s")
                .containsPattern("shop\\s+orders\\s+b\\s+succeeded\\s+250\\s+250\\s");
        assertBothEqualSource(h, bSchema);
        assertThat(h.rows(h.destinationDb(1), "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'sql\\_%'"))
                .containsExactly(bSchema);
        assertThat(h.count(h.destinationDb(1), "SELECT count(*) FROM pg_namespace WHERE nspname = 'dw'")).isZero();

        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (10, 200)",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
        h.runOk(mapping);
        assertBothEqualSource(h, bSchema);
        assertThat(h.rows(h.destinationDb(1), "SELECT status FROM " + bSchema + ".orders WHERE id IN (10, 200, 251)"
                + " ORDER BY id")).containsExactly("paid", "paid", "new");
    }

    private static void assertBothEqualSource(PipelineHarness h, String bSchema) {
        List<String> source = h.tableRows(h.sourceDb(), "orders", COLUMNS, "id");
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", COLUMNS, "id")).isEqualTo(source);
        assertThat(h.tableRows(h.destinationDb(1), bSchema + ".orders", COLUMNS, "id")).isEqualTo(source);
    }
}
