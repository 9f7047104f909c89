package io.caravan.it;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three {@code caravan serve} processes (real JVMs) on one state store (a PostgreSQL database) and one lock
 * directory: the job runs on exactly one of them; after a kill -9 of that one, another takes the job over within
 * 15 seconds and goes on from the committed cursor, while rows keep arriving at the source: no row lost or doubled.
 */
class ClusterIT {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void oneProcessRunsTheJobAndAnotherTakesOverAfterKillMinus9() throws Exception {
        PgServer pg = PgServer.get();
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'old', now() - interval '1 day' FROM generate_series(1, 2000) g");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: '0/2 * * * * ?'\n    mode: syncing\n"
                + "    batch_size: 200\n    primary_key: id\n    primary_key_datatype: int\n    bookmark: updated_at\n");
        String stateDb = pg.createDatabase("state");
        Path settings = dir.resolve("settings.yaml");
        Files.writeString(settings, "encryption_store:\n  url: " + pg.jdbcUrl(stateDb) + "\n  username: " + pg.user()
                + "\n" + (pg.password().isEmpty() ? "" : "  password: '" + pg.password() + "'\n")
                + "cluster:\n  lock: file\n  path: " + dir.resolve("locks") + "\n");
        for (int i = 0; i < 3; i++) {
            processes.add(serve(i, settings, mapping));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong lastId = new AtomicLong(2000);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                long id = lastId.incrementAndGet();
                h.source("INSERT INTO orders VALUES (" + id + ", 'new', clock_timestamp())");
                sleep(25);
            }
        });
        writer.start();

        int holder = awaitHolder(-1, 90);
        awaitRuns(holder, 2, 60);
        for (int i = 0; i < 3; i++) {
            if (i != holder) {
                assertThat(runLines(i)).as("runs logged by process %d, not the holder", i).isZero();
            }
        }

        long killedAt = System.nanoTime();
        processes.get(holder).destroyForcibly().waitFor();
        int next = awaitHolder(holder, 30);
        double takeover = (System.nanoTime() - killedAt) / 1e9;
        assertThat(takeover).as("seconds until another process took the job").isLessThan(15);
        awaitRuns(next, 2, 60);

        writing.set(false);
        writer.join();
        long sourceRows = h.count(h.sourceDb(), "SELECT count(*) FROM orders");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders") < sourceRows
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id || ' ' || status FROM dw.orders ORDER BY id"))
                .isEqualTo(h.rows(h.sourceDb(), "SELECT id || ' ' || status FROM orders ORDER BY id"));
        for (int i = 0; i < 3; i++) {
            if (i != holder && i != next) {
                assertThat(runLines(i)).as("runs logged by process %d, which never held the job", i).isZero();
            }
        }
    }

    private Process serve(int i, Path settings, Path mapping) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli", "serve",
                "--settings", settings.toString(), "--state-dir", dir.resolve("state" + i).toString(),
                mapping.toString());
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve" + i + ".log").toFile()).start();
    }

    private String log(int i) {
        try {
            return Files.readString(dir.resolve("serve" + i + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private long runLines(int i) {
        return log(i).lines().filter(l -> l.contains("shop table orders: succeeded")).count();
    }

    /** @return the process, other than {@code except}, whose log says it holds job shop */
    private int awaitHolder(int except, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 3; i++) {
                if (i != except && log(i).contains("job shop: this process holds it now")) {
                    return i;
                }
            }
            Thread.sleep(100);
        }
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            logs.append("--- serve").append(i).append(":\n").append(log(i));
        }
        throw new AssertionError("no process took job shop within " + seconds + " s\n" + logs);
    }

    private void awaitRuns(int process, int runs, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (runLines(process) < runs) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + process + " logged fewer than " + runs + " runs:\n"
                        + log(process));
            }
            Thread.sleep(200);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
