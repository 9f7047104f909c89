package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of a job start together, so on a fresh destination they all create its schema at once; the sessions
 * that lose the race of {@code CREATE SCHEMA IF NOT EXISTS} used to fail with {@code duplicate key value violates
 * unique constraint "pg_namespace_nspname_index"} (2 runs in 5 of a 12-table job). Here each destination holds
 * every {@code CREATE SCHEMA} open for a moment after it has written its row of {@code pg_namespace} (an event trigger
 * that sleeps), as a loaded server would: every table that tries meanwhile meets the race.
 */
class FreshDestinationSchemaIT {

    private static final int TABLES = 12;
    private static final int FRESH_DESTINATIONS = 3;
    private static final String[] SLOW_CREATE_SCHEMA = {
        "CREATE FUNCTION slow_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); END $$",
        "CREATE EVENT TRIGGER slow_create_schema ON ddl_command_end WHEN TAG IN ('CREATE SCHEMA')"
                + " EXECUTE FUNCTION slow_ddl()"};

    @TempDir
    Path dir;

    @Test
    void tablesOfAJobCreatingTheSchemaTogetherAllSucceed() throws IOException {
        for (int loop = 0; loop < FRESH_DESTINATIONS; loop++) {
            PipelineHarness h = new PipelineHarness(Files.createDirectories(dir.resolve("loop" + loop)), 1);
            h.execute(h.destinationDb(0), SLOW_CREATE_SCHEMA);
            StringBuilder tables = new StringBuilder();
            for (int i = 1; i <= TABLES; i++) {
                String t = "t" + i;
                h.source("CREATE TABLE " + t + " (id bigint PRIMARY KEY, note text, updated_at timestamptz NOT NULL)",
                        "INSERT INTO " + t + " SELECT g, 'n' || g, now() - interval '1 hour' + g * interval '1 second'"
                                + " FROM generate_series(1, " + (i * 3) + ") g");
                tables.append("  - table_name: ").append(t).append("\n    cron: self-managed\n    mode: syncing\n")
                        .append("    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
            }
            h.runOk(h.mapping("shop", tables.toString()));
            for (int i = 1; i <= TABLES; i++) {
                assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.t" + i)).as("loop %d, t%d", loop, i)
                        .isEqualTo(i * 3L);
            }
        }
    }
}
