package io.caravan.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.mapping.Settings;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.serve.JobControl;
import io.caravan.serve.JobControl.JobView;
import io.caravan.serve.JobControl.TableView;
import io.caravan.serve.ServeJobs;
import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Serve mode's HTTP side (issue 5, "HTTP") on Camel platform-http: the JSON API under {@code /api}, health and
 * Prometheus metrics under {@code /observe}, and the web dashboard at {@code /}. GETs are open; every POST needs
 * the bearer token of {@link ApiToken}. Errors are JSON {@code {"error": "..."}}.
 *
 * <p>Endpoints: {@code GET /api/jobs}, {@code GET /api/jobs/{job}}, {@code POST /api/jobs/{job}/runs[?table=]},
 * {@code GET /api/runs[?job=&table=&status=&limit=]}, {@code GET /api/runs/{id}}, {@code GET /observe/health},
 * {@code GET /observe/metrics}, {@code GET /}.
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Set<String> STATUSES = Set.of("running", "succeeded", "failed", "cut_off", "stopped");
    /** {@code limit} of {@code GET /api/runs} when not given. */
    static final int DEFAULT_LIMIT = 50;
    /** Largest {@code limit} of {@code GET /api/runs}. */
    static final int MAX_LIMIT = 1000;

    private final JobControl jobs;
    private final RunStore runs;
    private final RunMetrics metrics;
    private final ApiToken token;
    private final String dashboard;

    HttpApi(JobControl jobs, RunStore runs, RunMetrics metrics, ApiToken token) {
        this.jobs = jobs;
        this.runs = runs;
        this.metrics = metrics;
        this.token = token;
        this.dashboard = resource("dashboard.html");
    }

    /**
     * Turns on the platform-http server of {@code main} at the settings' {@code server_host} and {@code server_port}
     * and adds the API's routes (ids {@code caravan-http.*}). Call before {@code main.run()}; do not also turn on
     * Camel's management server on the same port ({@code /observe/health} and {@code /observe/metrics} are
     * served here).
     *
     * @param main     the serve process's camel-main; never null
     * @param settings the settings ({@code server()} gives host, port and {@code api_token}); never null
     * @param jobs     the jobs served; never null
     * @param runs     the run statistics; never null
     * @param metrics  the metrics, also registered as a run listener by the caller; its lag and running gauges
     *                 are read from {@code jobs} from now on; never null
     */
    public static void configure(Main main, Settings settings, JobControl jobs, RunStore runs, RunMetrics metrics) {
        configure(main, settings, jobs, runs, metrics, System.getenv());
    }

    /**
     * Wires the HTTP side into a serve process: a {@link RunMetrics} told about every run of {@code runtime}, and
     * {@link #configure} with the runtime's settings and its jobs ({@link ServeJobs}). Call before
     * {@code main.run()}, when the settings say {@code fastapi_server: true}.
     *
     * @param main    the serve process's camel-main; never null
     * @param runtime the serve process's runtime (in serve mode); never null
     * @param runs    the run statistics the process records; never null
     * @return the metrics, already listening to the runtime's runs
     */
    public static RunMetrics attach(Main main, CaravanRuntime runtime, RunStore runs) {
        RunMetrics metrics = new RunMetrics();
        runtime.addListener(metrics);
        configure(main, runtime.settings(), new ServeJobs(runtime), runs, metrics);
        return metrics;
    }

    /** As {@link #configure(Main, Settings, JobControl, RunStore, RunMetrics)}, reading {@code env} for the token. */
    static void configure(Main main, Settings settings, JobControl jobs, RunStore runs, RunMetrics metrics,
                          Map<String, String> env) {
        ApiToken token = ApiToken.of(settings, env);
        if (!token.configured()) {
            LOG.warn("HTTP API: {}", token.problem());
        }
        metrics.watch(jobs);
        String host = settings.server().host();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", host);
        main.addInitialProperty("camel.server.port", Integer.toString(settings.server().port()));
        main.configure().addRoutesBuilder(new HttpApi(jobs, runs, metrics, token).routes());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                LOG.info("HTTP API and dashboard on http://{}:{}/", host.contains(":") ? "[" + host + "]" : host,
                        port(support.getCamelContext()));
            }
        });
    }

    /**
     * @param context a started CamelContext
     * @return the port the platform-http server listens on (the one picked when {@code server_port} is 0); -1 when
     *         no platform-http server runs in {@code context}
     */
    public static int port(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        return server == null ? -1 : server.getPort();
    }

    /** @return the routes of every endpoint */
    RouteBuilder routes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                route(this, "GET", "/", "dashboard", e -> new Reply(200, "text/html; charset=utf-8", dashboard));
                route(this, "GET", "/api/jobs", "jobs", e -> listJobs());
                route(this, "GET", "/api/jobs/{job}", "job", e -> showJob(pathParam(e, "job")));
                route(this, "POST", "/api/jobs/{job}/runs", "run-now", HttpApi.this::runNow);
                route(this, "GET", "/api/runs", "runs", e -> listRuns(query(e)));
                route(this, "GET", "/api/runs/{id}", "run", e -> showRun(pathParam(e, "id")));
                route(this, "GET", "/observe/health", "health", e -> health());
                route(this, "GET", "/observe/metrics", "metrics", e -> new Reply(200, PROMETHEUS_TYPE,
                        metrics.scrape()));
            }
        };
    }

    /** Answers one request. */
    @FunctionalInterface
    private interface Handler {
        Reply handle(Exchange exchange) throws Exception;
    }

    /** A response: HTTP status, content type and body text. */
    private record Reply(int status, String contentType, String body) {
        static Reply json(int status, Object value) {
            try {
                return new Reply(status, JSON_TYPE, JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
            }
        }

        static Reply error(int status, String message) {
            return json(status, ApiViews.error(message));
        }
    }

    /** A request the API refuses with a 4xx status. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static void route(RouteBuilder b, String method, String path, String id, Handler handler) {
        b.from("platform-http:" + path + "?httpMethodRestrict=" + method)
                .routeId("caravan-http." + id)
                .process(e -> respond(e, handler));
    }

    private static void respond(Exchange exchange, Handler handler) {
        Reply reply;
        try {
            reply = handler.handle(exchange);
        } catch (Refused e) {
            reply = Reply.error(e.status, e.getMessage());
        } catch (Exception e) {
            LOG.error("HTTP {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), e);
            reply = Reply.error(500, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*"); // the request's headers (Authorization among them) are not echoed back
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        out.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        out.setHeader("Cache-Control", "no-store");
        out.setBody(reply.body());
    }

    private Reply listJobs() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (JobView j : jobs.jobs()) {
            list.add(ApiViews.job(j, runs));
        }
        return Reply.json(200, Map.of("jobs", list));
    }

    private Reply showJob(String name) {
        return Reply.json(200, ApiViews.job(job(name), runs));
    }

    private JobView job(String name) {
        return jobs.job(name).orElseThrow(() -> new Refused(404, "no job '" + name + "'; jobs: "
                + String.join(", ", jobs.jobs().stream().map(JobView::name).toList())));
    }

    private Reply runNow(Exchange exchange) {
        String refusal = token.refusal(exchange.getMessage().getHeader("Authorization", String.class));
        if (refusal != null) {
            return Reply.error(401, refusal);
        }
        JobView job = job(pathParam(exchange, "job"));
        String table = query(exchange).get("table");
        List<String> names = job.tables().stream().map(TableView::table).toList();
        if (table != null && !names.contains(table)) {
            throw new Refused(404, "job '" + job.name() + "' has no table '" + table + "'; tables: "
                    + String.join(", ", names));
        }
        List<String> started;
        try {
            started = jobs.runNow(job.name(), table);
        } catch (NoSuchElementException e) {
            throw new Refused(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new Refused(409, e.getMessage());
        }
        List<String> requested = table == null ? names : List.of(table);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", job.name());
        body.put("started", started);
        body.put("already_running", requested.stream().filter(t -> !started.contains(t)).toList());
        LOG.info("HTTP run now: job {}, tables started {}", job.name(), started);
        return Reply.json(202, body);
    }

    private Reply listRuns(Map<String, String> query) {
        String status = query.get("status");
        if (status != null && !STATUSES.contains(status)) {
            throw new Refused(400, "status: unknown status '" + status + "'; allowed: running, succeeded, failed,"
                    + " cut_off, stopped");
        }
        int limit = limit(query.get("limit"));
        List<Map<String, Object>> list = new ArrayList<>();
        for (RunRecord r : runs.list(query.get("job"), query.get("table"), status, limit)) {
            list.add(ApiViews.run(r));
        }
        return Reply.json(200, Map.of("runs", list));
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Refused(400, "limit: expected a whole number from 1 to " + MAX_LIMIT + " (got '" + text + "')");
    }

    private Reply showRun(String id) {
        return runs.find(id).map(r -> Reply.json(200, ApiViews.run(r)))
                .orElseGet(() -> Reply.error(404, "no run '" + id + "'"));
    }

    /**
     * @return 200 {@code {"status":"UP"}}, 503 DEGRADED with the tables whose last ended run failed, or 503 DOWN
     *         with the error when the jobs or the run store cannot be read
     */
    private Reply health() {
        try {
            Map<String, Object> body = ApiViews.health(jobs.jobs(), runs);
            return Reply.json("UP".equals(body.get("status")) ? 200 : 503, body);
        } catch (RuntimeException e) {
            LOG.error("health: cannot read the jobs' runs", e);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "DOWN");
            body.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return Reply.json(503, body);
        }
    }

    /**
     * @return the path parameter; platform-http gives it as a header, after any request header of the same name,
     *         so the last value is the path's
     */
    private static String pathParam(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        if (value instanceof List<?> list && !list.isEmpty()) {
            value = list.get(list.size() - 1);
        }
        return value == null ? "" : value.toString();
    }

    /** @return the query string's parameters, decoded; the first of repeated ones */
    static Map<String, String> query(Exchange exchange) {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!key.isEmpty() && !value.isEmpty()) {
                params.putIfAbsent(key, value);
            }
        }
        return params;
    }

    private static String resource(String name) {
        try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("io/caravan/server/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/caravan/server/" + name, e);
        }
    }
}
