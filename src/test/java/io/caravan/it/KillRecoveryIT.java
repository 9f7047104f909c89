package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code caravan run} killed with SIGKILL in the middle of a table, then run again, leaves every destination equal
 * to what the mode promises: no lost rows, no duplicates, no partial snapshot (DESIGN §3, issue: "a kill -9 at any
 * moment"). One stopped with SIGTERM ends its run at a batch boundary, with the cursor of what it wrote.
 */
class KillRecoveryIT {

    private static final String COLUMNS = "id, status, updated_at";
    private static final int ROWS = 20_000;

    @TempDir
    Path dir;

    private PipelineHarness world(String mode, String extra) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'new', now() - interval '1 hour' + g * interval '1 ms'"
                        + " FROM generate_series(1, " + ROWS + ") g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: " + mode + "\n    batch_size: 100\n"
                + "    primary_key: id\n    primary_key_datatype: int\n" + extra);
        return h;
    }

    /** Pre-creates the target with a statement trigger that sleeps, so that a run takes seconds. */
    private static void slowTarget(PipelineHarness h) {
        h.execute(h.destinationDb(0), "CREATE SCHEMA dw",
                "CREATE TABLE dw.orders (id bigint PRIMARY KEY, status text, updated_at timestamptz NOT NULL)",
                "CREATE FUNCTION dw.slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.01);"
                        + " RETURN NULL; END $$",
                "CREATE TRIGGER slow AFTER INSERT ON dw.orders FOR EACH STATEMENT EXECUTE FUNCTION dw.slow()");
    }

    /** Starts {@code caravan run} in another JVM and kills it with SIGKILL once {@code when} holds. */
    static void runAndKill(PipelineHarness h, BooleanSupplier when) throws Exception {
        assertThat(runAndSignal(h, when, true)).as("killed by SIGKILL").isEqualTo(137);
    }

    /**
     * Starts {@code caravan run} in another JVM (output in {@code signalled-run.log}) and, once {@code when} holds,
     * sends it SIGKILL ({@code kill}) or SIGTERM.
     *
     * @return the process's exit status
     */
    private static int runAndSignal(PipelineHarness h, BooleanSupplier when, boolean kill) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli",
                "run", h.dir().resolve("shop.yaml").toString(), "--state-dir", h.dir().resolve(".caravan").toString(),
                "--progress-seconds", "0")
                .redirectErrorStream(true)
                .redirectOutput(new File(h.dir().resolve("signalled-run.log").toString()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!when.getAsBoolean()) {
            assertThat(p.isAlive()).as("the run ended before it could be signalled").isTrue();
            assertThat(System.nanoTime()).as("the run made no progress within 60 s").isLessThan(deadline);
            Thread.sleep(5);
        }
        if (kill) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static long rowsRead(PipelineHarness.Result r) {
        Matcher m = Pattern.compile("shop\\s+orders\\s+\\S+\\s+succeeded\\s+([\\d,]+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void sigtermEndsTheRunAtABatchBoundaryWithItsCursorCommitted() throws Exception {
        PipelineHarness h = world("logging", "");
        slowTarget(h);
        String dst = h.destinationDb(0);

        int status = runAndSignal(h, () -> h.count(dst, "SELECT count(*) FROM dw.orders") >= 2000, false);

        String log = java.nio.file.Files.readString(h.dir().resolve("signalled-run.log"));
        assertThat(status).as(log).isEqualTo(143);
        long written = h.count(dst, "SELECT count(*) FROM dw.orders");
        Matcher m = Pattern.compile("shop\\s+orders\\s+\\S+\\s+stopped\\s+[\\d,]+\\s+([\\d,]+)").matcher(log);
        assertThat(m.find()).as("the summary says the run stopped: " + log).isTrue();
        assertThat(Long.parseLong(m.group(1).replace(",", ""))).as("rows written, as the summary says")
                .isEqualTo(written);
        assertThat(written).isLessThan(ROWS);
        // the cursor was committed with the last batch written: the next run reads only the rows after it
        PipelineHarness.Result r = h.runOk(dir.resolve("shop.yaml"));
        assertThat(rowsRead(r)).isEqualTo(ROWS - written);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
    }

    @Test
    void resumesFromCursorAfterKillWithoutDuplicates() throws Exception {
        PipelineHarness h = world("syncing", "    bookmark: updated_at\n");
        slowTarget(h);
        String dst = h.destinationDb(0);
        runAndKill(h, () -> h.count(dst, "SELECT count(*) FROM dw.orders") >= 11000);
        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id % 1000 = 7");

        PipelineHarness.Result r = h.runOk(dir.resolve("shop.yaml"));

        // the cursor moves with durable batches (every quarter second) and the embedded cursor store may lose its
        // last half second of commits to a kill: up to about three quarters of a second of batches are replayed
        assertThat(rowsRead(r)).as("the rerun resumes from the cursor instead of starting over")
                .isLessThan(ROWS - 2000);
        List<String> source = h.tableRows(h.sourceDb(), "orders", COLUMNS, "id");
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id")).isEqualTo(source);
        // the updates made after the kill arrive with the next incremental run
        h.source("UPDATE orders SET status = 'shipped', updated_at = now() WHERE id % 1000 = 8");
        h.runOk(dir.resolve("shop.yaml"));
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
    }

    @Test
    void loggingAfterKillAppendsEveryKeyOnce() throws Exception {
        PipelineHarness h = world("logging", "");
        slowTarget(h);
        String dst = h.destinationDb(0);
        runAndKill(h, () -> h.count(dst, "SELECT count(*) FROM dw.orders") >= 2000);
        h.runOk(dir.resolve("shop.yaml"));
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders")).isEqualTo(ROWS);
        assertThat(h.tableRows(dst, "dw.orders", COLUMNS, "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", COLUMNS, "id"));
    }

    @Test
    void killedDumpLeavesNoPartialSnapshot() throws Exception {
        PipelineHarness h = world("dumping", "");
        String dst = h.destinationDb(0);
        h.execute(dst, "CREATE SCHEMA dw");
        runAndKill(h, () -> h.count(dst, "SELECT count(*) FROM pg_stat_user_tables"
                + " WHERE relname = 'orders__caravan_snapshot' AND n_tup_ins > 0") > 0
                || h.count(dst, "SELECT count(*) FROM pg_tables WHERE tablename = 'orders__caravan_snapshot'") > 0);
        assertThat(h.count(dst, "SELECT count(*) FROM pg_tables WHERE schemaname = 'dw' AND tablename = 'orders'")
                == 0 || h.count(dst, "SELECT count(*) FROM dw.orders") % ROWS == 0)
                .as("the target holds whole snapshots only").isTrue();

        h.runOk(dir.resolve("shop.yaml"));

        List<String> perSnapshot = h.rows(dst, "SELECT count(*) FROM dw.orders GROUP BY migration_snapshot_date");
        assertThat(perSnapshot).isNotEmpty().allMatch(n -> n.equals(String.valueOf(ROWS)));
        assertThat(h.count(dst, "SELECT count(*) FROM pg_tables WHERE tablename LIKE '%caravan%'")).isZero();
    }
}
