package io.caravan.it;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --settings}: {@code encryption_store.url} puts the cursor store in any JDBC database instead of .caravan/. */
class SettingsIT {

    @TempDir
    Path dir;

    @Test
    void cursorStoreInPostgresKeepsTheCursorBetweenRuns() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        PgServer pg = PgServer.get();
        String stateDb = pg.createDatabase("state");
        Path settings = dir.resolve("settings.yaml");
        Files.writeString(settings, "timezone: Europe/Paris\nencryption_store:\n  url: " + pg.jdbcUrl(stateDb)
                + "\n  username: " + pg.user() + "\n" + (pg.password().isEmpty() ? "" : "  password: '"
                + pg.password() + "'\n"));
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, now() - interval '1 day' FROM generate_series(1, 30) g");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");

        PipelineHarness.Result first = h.caravan("run", mapping.toString(), "--settings", settings.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(h.rows(stateDb, "SELECT job_name, table_name, phase FROM caravan_cursor"))
                .containsExactly("shop|orders|INCREMENTAL");
        assertThat(dir.resolve(".caravan/state.mv.db")).doesNotExist();

        h.source("UPDATE orders SET updated_at = now() WHERE id = 3");
        PipelineHarness.Result second = h.caravan("run", mapping.toString(), "--settings", settings.toString());
        assertThat(second.out()).containsPattern("shop\\s+orders\\s+warehouse\\s+succeeded\\s+1\\s+1\\s+0");
    }
}
