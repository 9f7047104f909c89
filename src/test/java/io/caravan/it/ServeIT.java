package io.caravan.it;

import io.caravan.batch.TableRun;
import io.caravan.mapping.Settings;
import io.caravan.runtime.RunListener;
import io.caravan.runtime.ServeOptions;
import io.caravan.serve.JobControl;
import io.caravan.serve.Serve;
import io.caravan.serve.ServeJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code caravan serve} against real PostgreSQL servers: second-level crons through camel-quartz, the seed's
 * 8-field form, no overlapping runs, self-managed tables once, the cut-off mid-table with a test clock, and
 * retries of transient failures only.
 */
class ServeIT {

    @TempDir
    Path dir;

    private final List<TableRun> finished = new CopyOnWriteArrayList<>();
    private Serve serve;

    @BeforeEach
    void resetHook() {
        ServeHook.reset();
    }

    @AfterEach
    void stop() {
        if (serve != null) {
            serve.close();
        }
        ServeHook.reset();
    }

    private Serve start(Path mapping, ServeOptions options) throws InterruptedException {
        serve = new Serve(Settings.defaults(), List.of(mapping), dir.resolve(".caravan"), options);
        serve.runtime().addListener(new RunListener() {
            @Override
            public void finished(TableRun run) {
                finished.add(run);
            }
        });
        serve.start(60);
        return serve;
    }

    private static ServeOptions options(LocalTime cutOff, int attempts, Clock clock) {
        return new ServeOptions(ZoneId.of("UTC"), cutOff, new Settings.Retries(attempts, 1, 2), clock);
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private List<TableRun> runsOf(String table) {
        return finished.stream().filter(r -> r.table().tableName().equals(table)).toList();
    }

    @Test
    void aSecondLevelCronRunsAgainAndPicksUpNewRows() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: '0/1 * * * * ?'\n    mode: syncing\n"
                + "    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n    bookmark: updated_at\n");
        start(mapping, options(null, 1, Clock.systemUTC()));

        await("a first run", 30, () -> runsOf("orders").size() >= 1);
        h.source("INSERT INTO orders VALUES (251, 'late', 1, now())");
        int before = runsOf("orders").size();
        await("two more runs", 30, () -> runsOf("orders").size() >= before + 2);

        assertThat(runsOf("orders")).allMatch(r -> r.status() == TableRun.Status.SUCCEEDED);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(251);
        JobControl.TableView view = new ServeJobs(serve.runtime()).job("shop").orElseThrow().tables().get(0);
        assertThat(view.nextRun()).isAfter(Instant.now().minusSeconds(1)).isBefore(Instant.now().plusSeconds(3));
        assertThat(view.lagSeconds()).isNotNull().isBetween(0.0, 120.0);
    }

    @Test
    void theSeedsEightFieldFormSchedulesAndARunNeverOverlapsItself() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: '* * * * * * * */1'\n    mode: dumping\n"
                + "    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    process_dict: io.caravan.it.ServeHook\n");
        ServeHook.onRecord = n -> sleep(n % 50 == 0 ? 200 : 0);  // about 1 s per run, fired every second
        start(mapping, options(null, 1, Clock.systemUTC()));

        await("three runs", 40, () -> runsOf("orders").size() >= 3);

        serve.close();
        assertThat(serve.runtime().skippedStarts()).isPositive();
        assertThat(ServeHook.MOST_INSIDE.get()).isEqualTo(1);
        assertThat(runsOf("orders")).allMatch(r -> r.status() == TableRun.Status.SUCCEEDED);
        assertThat(h.rows(h.destinationDb(0), "SELECT DISTINCT count(*) FROM dw.orders"
                + " GROUP BY migration_snapshot_date")).containsExactly("250");
        assertThat(h.count(h.destinationDb(0), "SELECT count(DISTINCT migration_snapshot_date) FROM dw.orders"))
                .isEqualTo(runsOf("orders").size());
    }

    @Test
    void aSelfManagedTableRunsOnceEvenWhenItsRouteRestarts() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        start(h.dir().resolve("shop.yaml"), options(null, 1, Clock.systemUTC()));
        await("the run at start", 30, () -> runsOf("orders").size() == 1);

        serve.context().getRouteController().stopRoute("shop.orders");
        serve.context().getRouteController().startRoute("shop.orders");
        Thread.sleep(2000);

        assertThat(runsOf("orders")).hasSize(1);
        assertThat(new ServeJobs(serve.runtime()).runNow("shop", "orders")).containsExactly("orders");
        await("the run asked for", 30, () -> runsOf("orders").size() == 2);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(500);
    }

    @Test
    void theCutOffStopsATableAtABatchBoundaryAndTheNextDayGoesOn() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n"
                + "    process_dict: io.caravan.it.ServeHook\n");
        TestClock clock = new TestClock(Instant.parse("2026-11-22T17:00:00Z"));
        ServeHook.onRecord = n -> {
            if (n == 100) {
                clock.set(Instant.parse("2026-11-22T18:31:00Z"));
            }
        };
        start(h.dir().resolve("shop.yaml"), options(LocalTime.of(18, 30), 1, clock));
        await("the cut-off run", 30, () -> runsOf("orders").size() == 1);

        TableRun cut = runsOf("orders").get(0);
        assertThat(cut.status()).isEqualTo(TableRun.Status.CUT_OFF);
        long copied = h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders");
        assertThat(copied).isBetween(80L, 160L);
        assertThat(cut.cursorAfter()).isNotNull();
        ServeJobs jobs = new ServeJobs(serve.runtime());
        assertThatThrownBy(() -> jobs.runNow("shop", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cut-off");

        clock.set(Instant.parse("2026-11-23T00:00:01Z"));
        assertThat(jobs.runNow("shop", null)).containsExactly("orders");
        await("the next day's run", 30, () -> runsOf("orders").size() == 2);

        assertThat(runsOf("orders").get(1).status()).isEqualTo(TableRun.Status.SUCCEEDED);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(250);
        assertThat(h.rows(h.destinationDb(0), "SELECT count(DISTINCT id) FROM dw.orders")).containsExactly("250");
    }

    @Test
    void stoppingARouteEndsItsRunAtABatchBoundaryAndTheNextRunGoesOn() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n"
                + "    process_dict: io.caravan.it.ServeHook\n");
        ServeHook.onRecord = n -> sleep(n % 40 == 0 ? 300 : 0);  // about 2 s for the 250 rows
        start(h.dir().resolve("shop.yaml"), options(null, 1, Clock.systemUTC()));
        await("a few batches", 30, () -> ServeHook.RECORDS.get() >= 80);

        // the table's consumer runs in the kamelet's route, which the reloader removes with the route that used it
        String tableRoute = serve.context().getRoutes().stream()
                .filter(r -> r.getConsumer() instanceof io.caravan.camel.TableConsumer).findFirst().orElseThrow()
                .getRouteId();
        long stopping = System.nanoTime();
        serve.context().getRouteController().stopRoute(tableRoute);
        double seconds = (System.nanoTime() - stopping) / 1e9;

        await("the stopped run", 30, () -> runsOf("orders").size() == 1);
        TableRun stopped = runsOf("orders").get(0);
        assertThat(stopped.status()).isEqualTo(TableRun.Status.STOPPED);
        assertThat(seconds).as("seconds to stop the route").isLessThan(10);
        assertThat(stopped.cursorAfter()).isNotNull();
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isBetween(40L, 240L);

        ServeHook.onRecord = n -> { };
        serve.context().getRouteController().startRoute(tableRoute);
        assertThat(new ServeJobs(serve.runtime()).runNow("shop", "orders")).containsExactly("orders");
        await("the next run", 30, () -> runsOf("orders").size() == 2);
        assertThat(runsOf("orders").get(1).status()).isEqualTo(TableRun.Status.SUCCEEDED);
        assertThat(runsOf("orders").get(1).rowsRead()).isLessThan(250);
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", PipelineHarness.ORDERS_COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", PipelineHarness.ORDERS_COLUMNS, "id"));
    }

    @Test
    void transientFailuresAreRetriedWithBackoffAndPermanentOnesFailAtOnce() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        int closedPort = freePort();
        Path refused = h.mappingWith("refused", "destination:\n  warehouse:\n    destination_type: pgsql\n"
                + "    url: 127.0.0.1:" + closedPort + "\n    db_name: nowhere\n    username: caravan\n",
                "  - table_name: orders\n    cron: self-managed\n    mode: dumping\n    batch_size: 40\n"
                + "    primary_key: id\n    primary_key_datatype: int\n");
        Path missing = h.mapping("missing", "  - table_name: no_such_table\n    cron: self-managed\n"
                + "    mode: dumping\n    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");
        serve = new Serve(Settings.defaults(), List.of(refused, missing), dir.resolve(".caravan"),
                options(null, 3, Clock.systemUTC()));
        serve.runtime().addListener(new RunListener() {
            @Override
            public void finished(TableRun run) {
                finished.add(run);
            }
        });
        serve.start(60);

        await("three attempts", 30, () -> runsOf("orders").size() == 3);
        await("the missing table's failure", 30, () -> runsOf("no_such_table").size() == 1);
        Thread.sleep(2500);

        List<TableRun> attempts = runsOf("orders");
        assertThat(attempts).extracting(TableRun::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).allMatch(r -> r.status() == TableRun.Status.FAILED);
        assertThat(attempts.get(0).nextAttempt()).isNotNull();
        assertThat(java.time.Duration.between(attempts.get(0).finished(), attempts.get(1).started()).toMillis())
                .isGreaterThanOrEqualTo(900);
        assertThat(java.time.Duration.between(attempts.get(1).finished(), attempts.get(2).started()).toMillis())
                .isGreaterThanOrEqualTo(1900);
        assertThat(attempts.get(2).nextAttempt()).isNull();
        assertThat(runsOf("no_such_table")).hasSize(1);
        assertThat(runsOf("no_such_table").get(0).nextAttempt()).isNull();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant to) {
            now = to;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            TestClock outer = this;
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return zone;
                }

                @Override
                public Clock withZone(ZoneId z) {
                    return outer.withZone(z);
                }

                @Override
                public Instant instant() {
                    return outer.now;
                }
            };
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
