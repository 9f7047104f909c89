package io.caravan.state;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cursor store keeps each table's cursor across processes, embedded (H2 file) or in PostgreSQL. */
class CursorStoreIT {

    @TempDir
    Path dir;

    private static void roundTrip(CursorStoreOpener opener) {
        try (CursorStore store = opener.open()) {
            assertThat(store.load("shop", "orders")).isEqualTo(TableState.EMPTY);
            store.commit("shop", "orders", Cursor.initial("41", "2024-05-01 10:00:00.123456+00"));
            store.commit("shop", "orders", Cursor.incremental("2024-05-01 10:00:00.654321+00", "42"));
            store.markSuccess("shop", "orders", "2024-05-01 11:00:00.000001+00");
            store.commit("shop", "lines", Cursor.incremental(null, "7"));
        }
        try (CursorStore store = opener.open()) {
            assertThat(store.load("shop", "orders")).isEqualTo(new TableState(
                    Cursor.incremental("2024-05-01 10:00:00.654321+00", "42"), "2024-05-01 11:00:00.000001+00"));
            assertThat(store.load("shop", "lines").cursor()).isEqualTo(Cursor.incremental(null, "7"));
            store.reset("shop", "orders");
            assertThat(store.load("shop", "orders")).isEqualTo(TableState.EMPTY);
            assertThat(store.load("other", "lines")).isEqualTo(TableState.EMPTY);
        }
    }

    @FunctionalInterface
    private interface CursorStoreOpener {
        CursorStore open();
    }

    @Test
    void embeddedStoreKeepsCursorsAcrossOpens() {
        roundTrip(() -> JdbcCursorStore.openEmbedded(dir.resolve(".caravan")));
    }

    @Test
    void postgresStoreKeepsCursorsAcrossOpens() {
        PgServer pg = PgServer.get();
        String db = pg.createDatabase("state");
        roundTrip(() -> JdbcCursorStore.open(pg.jdbcUrl(db), pg.user(), pg.password()));
    }

    @Test
    void unreachableStoreNamesItsUrlButNotThePassword() {
        assertThatThrownBy(() -> JdbcCursorStore.open("jdbc:postgresql://127.0.0.1:1/x?password=hunter2", "u", "pw"))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("cannot open the cursor store jdbc:postgresql://127.0.0.1:1/x?password=******")
                .hasMessageNotContaining("hunter2");
    }
}
