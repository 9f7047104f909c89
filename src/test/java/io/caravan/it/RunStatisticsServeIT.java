package io.caravan.it;

import io.caravan.mapping.Settings;
import io.caravan.runtime.ServeOptions;
import io.caravan.serve.Serve;
import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serve mode with the run recorder wired as the lead wires it: every table run lands in the run store (the embedded
 * default) with its rows, destinations, cursor and outcome, and a failed run with its error.
 */
class RunStatisticsServeIT {

    @TempDir
    Path dir;

    @Test
    void everyRunOfServeModeIsInTheRunStoreWithItsCounters() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        Path missing = h.mapping("missing", "  - table_name: no_such_table\n    cron: self-managed\n"
                + "    mode: dumping\n    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");
        Path stateDir = dir.resolve(".caravan");
        ServeOptions options = new ServeOptions(ZoneId.of("UTC"), null, new Settings.Retries(1, 1, 2),
                Clock.systemUTC());
        try (Serve serve = new Serve(Settings.defaults(), List.of(h.dir().resolve("shop.yaml"), missing),
                stateDir, options)) {
            RunStore store = serve.runStore();
            serve.start(60);
            await(store, "shop", 1);
            await(store, "missing", 1);

            RunRecord shop = store.list("shop", "orders", null, 10).get(0);
            assertThat(shop.status()).isEqualTo("succeeded");
            assertThat(shop.ended()).isAfterOrEqualTo(shop.started());
            assertThat(shop.rowsRead()).isEqualTo(250);
            assertThat(shop.destinations()).extracting(RunRecord.DestinationRun::destination)
                    .containsExactly("warehouse");
            assertThat(shop.rowsWritten()).isEqualTo(250);
            assertThat(shop.bytes()).isPositive();
            assertThat(shop.cursorAfter()).startsWith("INCREMENTAL bookmark=");
            assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(250);

            RunRecord failed = store.list("missing", null, null, 10).get(0);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("no_such_table");
            assertThat(store.list(null, null, "running", 10)).isEmpty();
        }
    }

    /** Waits for {@code runs} ended runs of {@code job} in the store. */
    private static void await(RunStore store, String job, int runs) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (store.list(job, null, null, 100).stream().filter(r -> r.ended() != null).count() < runs) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting for " + runs + " ended run(s) of job " + job
                        + "; the store holds " + store.list(job, null, null, 100));
            }
            Thread.sleep(100);
        }
    }
}
