package io.caravan.state;

import de.bwaldvogel.mongo.MongoServer;
import io.caravan.batch.TableRun;
import io.caravan.serve.RunRecorder;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.testing.MongoTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run recorder saves a run at its start and at its end in a real store, and a store that is closed, broken or
 * down never fails the run: the failure is logged instead.
 */
class RunRecorderIT {

    @TempDir
    Path dir;

    private JobMapping job;
    private PrintStream stderr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void loadMapping() throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                source: {source_type: pgsql, url: db1, db_name: shop}
                destination:
                  warehouse: {destination_type: pgsql, url: dw, db_name: dw}
                  replica: {destination_type: pgsql, url: dw2, db_name: dw}
                tables:
                  - {table_name: public.orders, cron: self-managed, mode: syncing, bookmark: updated_at,
                     primary_key: id, primary_key_datatype: int}
                """);
        job = MappingLoader.load(file);
    }

    /** Captures what slf4j-simple writes (it looks System.err up at every line). */
    @BeforeEach
    void captureLog() {
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(stderr);
        stderr.print(log.toString(StandardCharsets.UTF_8));
    }

    private TableRun newRun() {
        TableRun run = new TableRun(job, job.tables().get(0), null);
        run.cursorBefore(Cursor.incremental("2026-05-01 10:00:00+00", "41"));
        return run;
    }

    private static void work(TableRun run) {
        run.addRead(120, 9_600);
        run.stats("warehouse").addWrite(120, 9_600, 250_000_000L);
        run.stats("replica").addWrite(100, 8_000, 125_000_000L);
        run.stats("replica").addDelete(20, 5_000_000L);
        run.cursorAfter(Cursor.incremental("2026-05-01 11:00:00+00", "161"));
    }

    @Test
    void aRunIsRecordedAtItsStartAndReplacedAtItsEnd() {
        try (RunStore store = JdbcRunStore.openEmbedded(dir.resolve(".caravan"))) {
            RunRecorder recorder = new RunRecorder(store);
            TableRun run = newRun();

            recorder.started(run);
            RunRecord atStart = store.find(run.id()).orElseThrow();
            assertThat(atStart.status()).isEqualTo("running");
            assertThat(atStart.job()).isEqualTo("shop");
            assertThat(atStart.table()).isEqualTo("public.orders");
            assertThat(atStart.cursorBefore()).isEqualTo("INCREMENTAL bookmark=2026-05-01 10:00:00+00 key=41");
            assertThat(atStart.ended()).isNull();
            assertThat(atStart.destinations()).isEmpty();

            work(run);
            run.succeed();
            recorder.finished(run);
            RunRecord atEnd = store.find(run.id()).orElseThrow();
            assertThat(atEnd).isEqualTo(RunStoreContract.kept(RunRecord.of(run)));
            assertThat(atEnd.status()).isEqualTo("succeeded");
            assertThat(atEnd.cursorAfter()).isEqualTo("INCREMENTAL bookmark=2026-05-01 11:00:00+00 key=161");
            assertThat(atEnd.destinations()).extracting(RunRecord.DestinationRun::destination)
                    .containsExactly("warehouse", "replica");
            assertThat(atEnd.rowsWritten()).isEqualTo(220);
            assertThat(atEnd.rowsDeleted()).isEqualTo(20);
            assertThat(atEnd.destinations().get(1).seconds()).isEqualTo(0.13);
            assertThat(store.list("shop", null, null, 10)).hasSize(1);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("Run statistics");
    }

    @Test
    void aFailedRunIsRecordedWithItsError() {
        try (RunStore store = JdbcRunStore.openEmbedded(dir.resolve(".caravan"))) {
            RunRecorder recorder = new RunRecorder(store);
            TableRun run = newRun();
            recorder.started(run);
            run.fail(new SQLException("connection reset", "08006"));
            recorder.finished(run);
            RunRecord failed = store.find(run.id()).orElseThrow();
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).isEqualTo("java.sql.SQLException: connection reset");
            assertThat(store.list(null, null, "failed", 10)).containsExactly(failed);
        }
    }

    /** Records the start and, once the run succeeded, the end of {@code run}: neither may throw. */
    private static void assertRecordingNeverThrows(RunRecorder recorder, TableRun run) {
        assertThatCode(() -> {
            recorder.started(run);
            run.succeed();
            recorder.finished(run);
        }).doesNotThrowAnyException();
    }

    @Test
    void aClosedStoreNeverFailsTheRun() {
        RunStore store = JdbcRunStore.openEmbedded(dir.resolve(".caravan"));
        store.close();
        TableRun run = newRun();
        RunRecorder recorder = new RunRecorder(store);

        assertRecordingNeverThrows(recorder, run);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("Run statistics: cannot record the start of run " + run.id() + " (job shop, table"
                        + " public.orders); the run goes on")
                .contains("Run statistics: cannot record the end of run " + run.id())
                .contains("is closed");
    }

    @Test
    void aStoreWhoseTablesAreGoneNeverFailsTheRun() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("broken").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        try (RunStore store = JdbcRunStore.open(url, "sa", "")) {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                s.execute("DROP TABLE caravan_run_destination");
                s.execute("DROP TABLE caravan_run");
            }
            TableRun run = newRun();
            RunRecorder recorder = new RunRecorder(store);
            assertThatThrownBy(() -> store.save(RunRecord.of(run))).isInstanceOf(StateException.class);

            assertThatCode(() -> {
                recorder.started(run);
                work(run);
                run.succeed();
                recorder.finished(run);
            }).doesNotThrowAnyException();
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains("Run statistics: cannot record the end of run " + run.id())
                    .contains("CARAVAN_RUN");
        }
    }

    @Test
    void aMongoServerThatWentDownNeverFailsTheRun() {
        MongoServer server = MongoTestServer.create();
        String url = "mongodb://127.0.0.1:" + server.bind().getPort() + "/?serverSelectionTimeoutMS=500";
        try (RunStore store = MongoRunStore.open(url, "caravan", "runs")) {
            server.shutdownNow();
            TableRun run = newRun();
            RunRecorder recorder = new RunRecorder(store);
            assertRecordingNeverThrows(recorder, run);
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains("Run statistics: cannot record the start of run " + run.id())
                    .contains("Run statistics: cannot record the end of run " + run.id());
        }
    }
}
