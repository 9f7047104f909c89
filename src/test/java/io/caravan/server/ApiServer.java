package io.caravan.server;

import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Secret;
import io.caravan.mapping.Settings;
import io.caravan.serve.RunRecorder;
import io.caravan.state.JdbcRunStore;
import org.apache.camel.main.Main;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A camel-main with {@link HttpApi} on a port of 127.0.0.1 the system picks, serving {@link FakeJobs} and the embedded run store
 * (H2 under the test's directory), and real {@link TableRun}s of the {@code shop} mapping, recorded by a
 * {@link RunRecorder} and counted by the {@link RunMetrics} as serve mode does.
 */
final class ApiServer implements AutoCloseable {

    final FakeJobs jobs = new FakeJobs();
    final JdbcRunStore runs;
    private final RunRecorder recorder;
    final RunMetrics metrics = new RunMetrics();
    final int port;
    private final Main main = new Main();
    private final JobMapping shop;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param dir      where the shop mapping is written
     * @param apiToken the settings' {@code api_token}; empty for none
     * @param env      the environment the token falls back to
     */
    ApiServer(Path dir, String apiToken, Map<String, String> env) throws Exception {
        this.runs = JdbcRunStore.openEmbedded(dir.resolve(".caravan"));
        this.recorder = new RunRecorder(runs);
        Settings d = Settings.defaults();
        Settings settings = new Settings(d.timezone(), d.notifyEnabled(), d.slackNotif(), d.cutOffTime(),
                d.cursorStoreUrl(), d.cursorStoreUser(), d.cursorStorePassword(), d.dashboardStore(), true,
                new Settings.Server("127.0.0.1", 0, new Secret(apiToken)), d.retries(), d.cluster());
        main.configure().withName("http-test").withJmxEnabled(false);
        HttpApi.configure(main, settings, jobs, runs, metrics, env);
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                source: {source_type: pgsql, url: db, db_name: shop}
                destination:
                  warehouse: {destination_type: pgsql, url: dw, db_name: dw}
                  lake: {destination_type: pgsql, url: lake, db_name: lake}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                  - {table_name: lines, cron: self-managed, mode: dumping}
                """);
        this.shop = MappingLoader.load(file);
        main.start();
        this.port = HttpApi.port(main.getCamelContext());
    }

    /** @return a running run of {@code table} of job shop, saved to the run store as serve mode does at start */
    TableRun start(String table) throws InterruptedException {
        Thread.sleep(2); // the store keeps starts to the millisecond: each run of a test starts in a later one
        TableRun run = new TableRun(shop, shop.tables().stream().filter(t -> t.tableName().equals(table))
                .findFirst().orElseThrow(), null);
        recorder.started(run);
        metrics.started(run);
        return run;
    }

    /** Ends {@code run} (succeeded when {@code failure} is null) and tells the store and the metrics. */
    TableRun finish(TableRun run, Throwable failure) {
        if (failure == null) {
            run.succeed();
        } else {
            run.fail(failure);
        }
        recorder.finished(run);
        metrics.finished(run);
        return run;
    }

    /**
     * @param rowsRead rows read; written to warehouse (and to lake for table lines, half of them)
     * @return a succeeded run of {@code table}
     */
    TableRun succeeded(String table, long rowsRead) throws InterruptedException {
        TableRun run = start(table);
        run.addRead(rowsRead, rowsRead * 100);
        run.stats("warehouse").addWrite(rowsRead, rowsRead * 100, 1_000_000);
        if (table.equals("lines")) {
            run.stats("lake").addWrite(rowsRead / 2, rowsRead * 50, 1_000_000);
        }
        return finish(run, null);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** @param token the bearer token; null for no Authorization header */
    HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        main.stop();
        runs.close();
    }
}
