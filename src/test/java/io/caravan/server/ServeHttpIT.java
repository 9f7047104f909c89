package io.caravan.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.Secret;
import io.caravan.mapping.Settings;
import io.caravan.runtime.ServeOptions;
import io.caravan.serve.Serve;
import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serve mode with its HTTP side, against a real PostgreSQL source and destination: in this JVM ({@link Serve}) and as
 * the {@code caravan serve} command in a process of its own, each listing its job and running it now over HTTP.
 */
class ServeHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "serve-token";

    @TempDir
    Path dir;

    private Serve serve;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String path) throws Exception {
        return http.send(b.uri(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serveListsItsJobAndRunsItNowOverHttp() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: '0 0 0 1 1 ? 2099'\n    mode: dumping\n"
                + "    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");
        Settings d = Settings.defaults();
        Settings settings = new Settings(d.timezone(), d.notifyEnabled(), d.slackNotif(), d.cutOffTime(),
                d.cursorStoreUrl(), d.cursorStoreUser(), d.cursorStorePassword(), d.dashboardStore(), true,
                new Settings.Server("127.0.0.1", 0, new Secret(TOKEN)), d.retries(), d.cluster());
        serve = new Serve(settings, List.of(mapping), dir.resolve(".caravan"), ServeOptions.of(settings));
        RunStore runs = serve.runStore();
        serve.beforeRun(main -> HttpApi.attach(main, serve.runtime(), runs));
        serve.start(60);
        port = HttpApi.port(serve.context());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!serve.runtime().leadership().holds("shop") && System.nanoTime() < deadline) {
            Thread.sleep(100); // the job's lock is taken just after the start
        }

        JsonNode jobs = JSON.readTree(send(HttpRequest.newBuilder().GET(), "/api/jobs").body()).get("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("shop");
        assertThat(jobs.get(0).get("active").asBoolean()).isTrue();
        JsonNode orders = jobs.get(0).get("tables").get(0);
        assertThat(orders.get("table").asText()).isEqualTo("orders");
        assertThat(orders.get("next_run").asText()).startsWith("2099-01-01T");
        assertThat(orders.get("last_run").isNull()).isTrue();

        HttpRequest.Builder post = HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody());
        assertThat(send(post, "/api/jobs/shop/runs").statusCode()).isEqualTo(401);
        HttpResponse<String> started = send(post.header("Authorization", "Bearer " + TOKEN), "/api/jobs/shop/runs");
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).get("started").toString()).isEqualTo("[\"orders\"]");

        deadline = System.nanoTime() + 60_000_000_000L;
        List<RunRecord> done = List.of();
        while (done.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            done = runs.list("shop", "orders", "succeeded", 1);
        }
        assertThat(done).as("the run started over HTTP succeeded").hasSize(1);
        JsonNode run = JSON.readTree(send(HttpRequest.newBuilder().GET(), "/api/runs/" + done.get(0).id()).body());
        assertThat(run.get("rows_written").asLong()).isEqualTo(250);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(250);
        String metrics = send(HttpRequest.newBuilder().GET(), "/observe/metrics").body();
        assertThat(metrics).contains(
                "caravan_rows_written_total{destination=\"warehouse\",job=\"shop\",table=\"orders\"} 250.0");
        assertThat(send(HttpRequest.newBuilder().GET(), "/observe/health").statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder().GET(), "/").body()).contains("<title>Caravan</title>");

        serve.runtime().leadership(job -> false); // as when another process holds the job's lock
        JsonNode held = JSON.readTree(send(HttpRequest.newBuilder().GET(), "/api/jobs/shop").body());
        assertThat(held.get("active").asBoolean()).isFalse();
        HttpResponse<String> refused = send(post, "/api/jobs/shop/runs");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).get("error").asText())
                .isEqualTo("job 'shop' is held by another process (cluster lock): run it there");
    }

    @Test
    void theServeCommandServesTheApiWhenTheSettingsSayFastapiServer() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: '0 0 0 1 1 ? 2099'\n    mode: dumping\n"
                + "    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");
        Path settings = dir.resolve("settings.yaml");
        Files.writeString(settings, "fastapi_server: true\nserver_host: 127.0.0.1\nserver_port: 0\n"
                + "api_token: ${env:CARAVAN_TEST_SERVE_TOKEN}\n");
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli", "serve",
                "--settings", settings.toString(), "--state-dir", dir.resolve(".caravan").toString(),
                mapping.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CARAVAN_TEST_SERVE_TOKEN", TOKEN);
        process = pb.start();

        Pattern listening = Pattern.compile("HTTP API and dashboard on http://127\\.0\\.0\\.1:(\\d+)/");
        long deadline = System.nanoTime() + 120_000_000_000L;
        String found = null;
        while (found == null && System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.readString(log));
            if (m.find()) {
                found = m.group(1);
            } else {
                assertThat(process.isAlive()).as("serve exited:%n%s", Files.readString(log)).isTrue();
                Thread.sleep(200);
            }
        }
        assertThat(found).as("the URL in serve's log:%n%s", Files.readString(log)).isNotNull();
        port = Integer.parseInt(found);

        JsonNode jobs = JSON.readTree(send(HttpRequest.newBuilder().GET(), "/api/jobs").body()).get("jobs");
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("shop");
        assertThat(jobs.get(0).get("tables").get(0).get("table").asText()).isEqualTo("orders");
        HttpRequest.Builder post = HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TOKEN);
        HttpResponse<String> started = send(post, "/api/jobs/shop/runs");
        while (System.nanoTime() < deadline && JSON.readTree(started.body()).path("started").isEmpty()) {
            Thread.sleep(200); // the job's lock is taken just after the start
            started = send(post, "/api/jobs/shop/runs");
        }
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).get("started").toString()).isEqualTo("[\"orders\"]");
        JsonNode runs = JSON.createArrayNode();
        while (System.nanoTime() < deadline && runs.isEmpty()) {
            Thread.sleep(200);
            runs = JSON.readTree(send(HttpRequest.newBuilder().GET(), "/api/runs?job=shop&status=succeeded").body())
                    .get("runs");
        }
        assertThat(runs).as("a succeeded run, serve's log:%n%s", Files.readString(log)).hasSize(1);
        assertThat(runs.get(0).get("rows_written").asLong()).isEqualTo(250);
    }
}
