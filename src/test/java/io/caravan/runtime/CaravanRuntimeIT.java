package io.caravan.runtime;

import io.caravan.mapping.SettingsLoader;
import io.caravan.state.StateException;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's cursor store on a real PostgreSQL state database. */
class CaravanRuntimeIT {

    @TempDir
    Path dir;

    /** A serve process started while its state database was away runs once it is back, without a restart. */
    @Test
    void aCursorStoreThatCouldNotOpenIsOpenedAgainByTheNextRun() throws Exception {
        PgServer pg = PgServer.get();
        String database = "caravan_later_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        Path settings = Files.writeString(dir.resolve("settings.yaml"), "encryption_store:\n  url: "
                + pg.jdbcUrl(database) + "\n  username: " + pg.user() + "\n  password: '" + pg.password() + "'\n");
        try (CaravanRuntime runtime = new CaravanRuntime(SettingsLoader.load(settings), dir.resolve(".caravan"))) {
            runtime.openCursorStoreInBackground();
            assertThatThrownBy(runtime::cursorStore).isInstanceOf(StateException.class)
                    .hasMessageContaining(database);

            try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            runtime.cursorStore().markSuccess("shop", "orders", "2026-11-22 00:00:00+00");
            assertThat(runtime.cursorStore().load("shop", "orders").lastSuccessCeiling())
                    .startsWith("2026-11-22 00:00:00");
        }
    }
}
