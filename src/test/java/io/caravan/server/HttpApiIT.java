package io.caravan.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.TableRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Serve mode's HTTP API over real HTTP, on camel-main's platform-http server. */
class HttpApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void postNeedsTheBearerTokenAndRunNowStartsTheJob() throws Exception {
        server = new ApiServer(dir, TOKEN, Map.of());

        HttpResponse<String> none = server.post("/api/jobs/shop/runs", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("error").asText()).contains("Authorization: Bearer <token>");
        assertThat(server.post("/api/jobs/shop/runs", "wrong").statusCode()).isEqualTo(401);
        assertThat(json(server.post("/api/jobs/shop/runs", "wrong")).get("error").asText())
                .isEqualTo("wrong API token");
        HttpResponse<String> basic = server.send(HttpRequest.newBuilder(server.uri("/api/jobs/shop/runs"))
                .header("Authorization", "Basic " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(server.jobs.runNowCalls).isEmpty();

        HttpResponse<String> all = server.post("/api/jobs/shop/runs", TOKEN);
        assertThat(all.statusCode()).isEqualTo(202);
        assertThat(all.headers().firstValue("Authorization")).isEmpty();
        assertThat(JSON.writeValueAsString(json(all)))
                .isEqualTo("{\"job\":\"shop\",\"started\":[\"orders\",\"lines\"],\"already_running\":[]}");

        server.jobs.linesRunning = true;
        JsonNode one = json(server.post("/api/jobs/shop/runs?table=lines", TOKEN));
        assertThat(one.get("started")).isEmpty();
        assertThat(one.get("already_running").get(0).asText()).isEqualTo("lines");
        assertThat(server.jobs.runNowCalls).containsExactly("shop/*", "shop/lines");

        HttpResponse<String> noJob = server.post("/api/jobs/nope/runs", TOKEN);
        assertThat(noJob.statusCode()).isEqualTo(404);
        assertThat(json(noJob).get("error").asText()).isEqualTo("no job 'nope'; jobs: crm, shop");
        HttpResponse<String> noTable = server.post("/api/jobs/shop/runs?table=refunds", TOKEN);
        assertThat(noTable.statusCode()).isEqualTo(404);
        assertThat(json(noTable).get("error").asText())
                .isEqualTo("job 'shop' has no table 'refunds'; tables: orders, lines");
        HttpResponse<String> held = server.post("/api/jobs/crm/runs", TOKEN);
        assertThat(held.statusCode()).isEqualTo(409);
        assertThat(json(held).get("error").asText()).isEqualTo("job crm is run by another replica");
        assertThat(server.jobs.runNowCalls).containsExactly("shop/*", "shop/lines");

        assertThat(server.get("/api/jobs/shop/runs").statusCode()).isEqualTo(405);
        assertThat(server.get("/api/jobs").statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAnyTokenConfiguredEveryPostIsRefusedSayingHowToSetOne() throws Exception {
        server = new ApiServer(dir, "", Map.of());
        HttpResponse<String> r = server.post("/api/jobs/shop/runs", "anything");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("no API token is configured, so requests that change"
                + " something are refused; set api_token in the settings file or the CARAVAN_API_TOKEN environment"
                + " variable");
        assertThat(server.jobs.runNowCalls).isEmpty();
    }

    @Test
    void aTokenNamingAnUnsetVariableRefusesEveryPostSayingWhich() throws Exception {
        server = new ApiServer(dir, "${env:CARAVAN_TEST_UNSET_TOKEN}", Map.of("CARAVAN_API_TOKEN", "ignored"));
        HttpResponse<String> r = server.post("/api/jobs/shop/runs", "ignored");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("api_token in the settings names"
                + " ${env:CARAVAN_TEST_UNSET_TOKEN}: environment variable CARAVAN_TEST_UNSET_TOKEN is not set, so"
                + " requests that change something are refused");
    }

    @Test
    void theEnvironmentGivesTheTokenWhenTheSettingsDoNot() throws Exception {
        server = new ApiServer(dir, "", Map.of("CARAVAN_API_TOKEN", "from-env"));
        assertThat(server.post("/api/jobs/shop/runs", TOKEN).statusCode()).isEqualTo(401);
        assertThat(server.post("/api/jobs/shop/runs", "from-env").statusCode()).isEqualTo(202);
        assertThat(server.jobs.runNowCalls).containsExactly("shop/*");
    }

    @Test
    void jobsAndRunsAreListedFilteredAndFound() throws Exception {
        server = new ApiServer(dir, TOKEN, Map.of());
        TableRun first = server.succeeded("orders", 100);
        TableRun failed = server.finish(server.start("lines"), new SQLException("relation \"lines\" does not exist"));
        TableRun last = server.succeeded("orders", 7);

        JsonNode jobs = json(server.get("/api/jobs")).get("jobs");
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("crm");
        assertThat(jobs.get(0).get("active").asBoolean()).isFalse();
        JsonNode shop = jobs.get(1);
        assertThat(shop.get("file").asText()).isEqualTo("mappings/shop.yaml");
        assertThat(shop.get("failing").asBoolean()).isTrue();
        JsonNode orders = shop.get("tables").get(0);
        assertThat(orders.get("mode").asText()).isEqualTo("syncing");
        assertThat(orders.get("cron").asText()).isEqualTo("0 */5 * * * ?");
        assertThat(orders.get("lag_seconds").asDouble()).isEqualTo(FakeJobs.ORDERS_LAG);
        assertThat(orders.get("next_run").asText()).endsWith("Z");
        assertThat(orders.get("last_run").get("id").asText()).isEqualTo(last.id());
        assertThat(orders.get("last_run").get("rows_written").asLong()).isEqualTo(7);
        JsonNode lines = shop.get("tables").get(1);
        assertThat(lines.get("failing").asBoolean()).isTrue();
        assertThat(lines.get("next_run").isNull()).isTrue();
        assertThat(lines.get("last_run").get("error").asText())
                .isEqualTo("java.sql.SQLException: relation \"lines\" does not exist");

        assertThat(json(server.get("/api/jobs/shop"))).isEqualTo(shop);
        HttpResponse<String> unknown = server.get("/api/jobs/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).startsWith("no job 'nope'");

        assertThat(ids(server.get("/api/runs"))).containsExactly(last.id(), failed.id(), first.id());
        assertThat(ids(server.get("/api/runs?job=shop&table=orders"))).containsExactly(last.id(), first.id());
        assertThat(ids(server.get("/api/runs?status=failed"))).containsExactly(failed.id());
        assertThat(ids(server.get("/api/runs?job=crm"))).isEmpty();
        assertThat(ids(server.get("/api/runs?table=orders&limit=1"))).containsExactly(last.id());
        assertThat(server.get("/api/runs?status=broken").statusCode()).isEqualTo(400);
        assertThat(json(server.get("/api/runs?limit=0")).get("error").asText())
                .isEqualTo("limit: expected a whole number from 1 to 1000 (got '0')");

        JsonNode run = json(server.get("/api/runs/" + first.id()));
        assertThat(run.get("job").asText()).isEqualTo("shop");
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        assertThat(run.get("rows_read").asLong()).isEqualTo(100);
        assertThat(run.get("bytes").asLong()).isEqualTo(10_000);
        assertThat(run.get("destinations").get(0).get("destination").asText()).isEqualTo("warehouse");
        assertThat(run.get("ended").asText()).isNotEmpty();
        HttpResponse<String> noRun = server.get("/api/runs/no-such-run");
        assertThat(noRun.statusCode()).isEqualTo(404);
        assertThat(json(noRun).get("error").asText()).isEqualTo("no run 'no-such-run'");
    }

    @Test
    void runListingDefaultsToTheNewestFifty() throws Exception {
        server = new ApiServer(dir, TOKEN, Map.of());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            ids.add(server.succeeded("orders", i).id());
        }
        List<String> listed = ids(server.get("/api/runs"));
        assertThat(listed).hasSize(HttpApi.DEFAULT_LIMIT);
        assertThat(listed.get(0)).isEqualTo(ids.get(54));
        assertThat(ids(server.get("/api/runs?limit=1000"))).hasSize(55);
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).get("runs").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    @Test
    void healthTurnsDegradedAfterAFailedRunUpAfterASuccessAndDownWithoutTheRunStore() throws Exception {
        server = new ApiServer(dir, TOKEN, Map.of());
        HttpResponse<String> fresh = server.get("/observe/health");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(json(fresh).get("status").asText()).isEqualTo("UP");

        server.succeeded("orders", 10);
        TableRun failed = server.finish(server.start("lines"), new IllegalStateException("disk full"));
        HttpResponse<String> degraded = server.get("/observe/health");
        assertThat(degraded.statusCode()).isEqualTo(503);
        JsonNode body = json(degraded);
        assertThat(body.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(body.get("failing_jobs").toString()).isEqualTo("[\"shop\"]");
        assertThat(body.get("failures").get(0).get("table").asText()).isEqualTo("lines");
        assertThat(body.get("failures").get(0).get("run").asText()).isEqualTo(failed.id());
        assertThat(body.get("failures").get(0).get("error").asText())
                .isEqualTo("java.lang.IllegalStateException: disk full");

        TableRun retry = server.start("lines");
        assertThat(server.get("/observe/health").statusCode()).as("still failed while the retry runs").isEqualTo(503);
        server.finish(retry, null);
        assertThat(server.get("/observe/health").statusCode()).isEqualTo(200);

        server.runs.close();
        HttpResponse<String> down = server.get("/observe/health");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode downBody = json(down);
        assertThat(downBody.get("status").asText()).isEqualTo("DOWN");
        assertThat(downBody.get("error").asText()).startsWith("StateException: the run store jdbc:h2:file:")
                .endsWith(" is closed");
        HttpResponse<String> listing = server.get("/api/runs");
        assertThat(listing.statusCode()).isEqualTo(500);
        assertThat(json(listing).get("error").asText()).endsWith(" is closed");
    }

    @Test
    void metricsCountRowsPerJobTableAndDestination() throws Exception {
        server = new ApiServer(dir, TOKEN, Map.of());
        server.succeeded("orders", 100);
        server.succeeded("orders", 50);
        server.succeeded("lines", 40);
        TableRun failed = server.start("lines");
        failed.addRead(3, 30);
        failed.stats("warehouse").addWrite(2, 20, 1000);
        server.finish(failed, new IllegalStateException("disk full"));
        server.jobs.linesRunning = true;

        HttpResponse<String> r = server.get("/observe/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        Map<String, Double> m = samples(r.body());
        String orders = "job=shop,table=orders";
        String lines = "job=shop,table=lines";
        assertThat(m.get("caravan_rows_written_total{destination=warehouse," + orders + "}")).isEqualTo(150.0);
        assertThat(m.get("caravan_rows_written_total{destination=warehouse," + lines + "}")).isEqualTo(42.0);
        assertThat(m.get("caravan_rows_written_total{destination=lake," + lines + "}")).isEqualTo(20.0);
        assertThat(m.get("caravan_bytes_written_total{destination=warehouse," + orders + "}")).isEqualTo(15_000.0);
        assertThat(m.get("caravan_rows_deleted_total{destination=warehouse," + orders + "}")).isEqualTo(0.0);
        assertThat(m.get("caravan_rows_read_total{" + lines + "}")).isEqualTo(43.0);
        assertThat(m.get("caravan_run_seconds_count{" + orders + "}")).isEqualTo(2.0);
        assertThat(m.get("caravan_run_seconds_sum{" + orders + "}")).isGreaterThanOrEqualTo(0.0);
        assertThat(m.get("caravan_run_failures_total{" + lines + "}")).isEqualTo(1.0);
        assertThat(m.get("caravan_run_failures_total{" + orders + "}")).isEqualTo(0.0);
        assertThat(m.get("caravan_runs_total{job=shop,status=failed,table=lines}")).isEqualTo(1.0);
        assertThat(m.get("caravan_runs_total{job=shop,status=succeeded,table=lines}")).isEqualTo(1.0);
        assertThat(m.get("caravan_lag_seconds{" + orders + "}")).isCloseTo(FakeJobs.ORDERS_LAG, within(1e-9));
        assertThat(m).doesNotContainKey("caravan_lag_seconds{" + lines + "}");
        assertThat(m.get("caravan_table_running{" + lines + "}")).isEqualTo(1.0);
        assertThat(m.get("caravan_table_running{" + orders + "}")).isEqualTo(0.0);
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_threads_live_threads"));
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** @return each sample of the Prometheus text, keyed {@code name{k=v,...}} with labels sorted by name */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            assertThat(s.matches()).as("a Prometheus sample: %s", line).isTrue();
            List<String> labels = new ArrayList<>();
            if (s.group(2) != null) {
                Matcher l = LABEL.matcher(s.group(2));
                while (l.find()) {
                    labels.add(l.group(1) + "=" + l.group(2));
                }
            }
            labels.sort(null);
            String key = s.group(1) + (labels.isEmpty() ? "" : "{" + String.join(",", labels) + "}");
            samples.put(key, Double.parseDouble(s.group(3)));
        }
        return samples;
    }
}
