package io.caravan.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A paged JSON API for the api source's tests (JDK HTTP server on a free port of 127.0.0.1). Records are JSON
 * objects kept by their integer {@code id}; every request needs {@code Authorization: <expected>} (401 otherwise).
 * <ul>
 *   <li>{@code GET /items?page=N}: {@code {"data": {"items": [...]}, "page": N}}, records ordered by id,
 *       {@link #PAGE} a page; an empty array past the last page;</li>
 *   <li>{@code GET /changes[?since=T]}: a bare array of the records whose {@code updated_at} (ISO-8601 text, compared
 *       as text, which orders UTC timestamps of one format) is after T, ordered by it, {@link #PAGE} at most;</li>
 *   <li>{@code GET /byid[?after=N]}: a bare array of the records whose id is above N, ordered by id, {@link #PAGE}
 *       at most.</li>
 * </ul>
 * {@link #failRequest} makes one future request answer 500.
 */
final class ApiTestServer implements AutoCloseable {

    static final int PAGE = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String expectedAuth;
    private final Map<Long, ObjectNode> records = new TreeMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile int failAt = -1;
    private volatile boolean descending;

    ApiTestServer(String expectedAuth) throws IOException {
        this.expectedAuth = expectedAuth;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** @return {@code http://127.0.0.1:<port>} */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds or replaces a record; {@code fields} alternate names and values. */
    synchronized void put(long id, Object... fields) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            r.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        records.put(id, r);
    }

    /** @param descending true to answer {@code /items} pages in descending id order */
    void descending(boolean descending) {
        this.descending = descending;
    }

    /** The N-th request from now (1 = the next one) answers 500. */
    void failRequest(int n) {
        failAt = count.get() + n;
    }

    /** @return path and query of every request so far */
    List<String> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = count.incrementAndGet();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(ex.getRequestURI().getPath() + (query == null ? "" : "?" + query));
        if (!expectedAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "{\"error\": \"bad token\"}");
            return;
        }
        if (n == failAt) {
            send(ex, 500, "{\"error\": \"boom\"}");
            return;
        }
        Map<String, String> params = params(query);
        List<ObjectNode> all;
        synchronized (this) {
            all = new ArrayList<>(records.values());
        }
        ArrayNode page = JSON.createArrayNode();
        switch (ex.getRequestURI().getPath()) {
            case "/items" -> {
                int p = Integer.parseInt(params.getOrDefault("page", "1"));
                if (descending) {
                    java.util.Collections.reverse(all);
                }
                all.stream().skip((long) (p - 1) * PAGE).limit(PAGE).forEach(page::add);
                ObjectNode body = JSON.createObjectNode();
                body.putObject("data").set("items", page);
                body.put("page", p);
                send(ex, 200, body.toString());
            }
            case "/changes" -> {
                String since = params.get("since");
                all.stream().filter(r -> since == null || r.get("updated_at").asText().compareTo(since) > 0)
                        .sorted((a, b) -> a.get("updated_at").asText().compareTo(b.get("updated_at").asText()))
                        .limit(PAGE).forEach(page::add);
                send(ex, 200, page.toString());
            }
            case "/byid" -> {
                long after = Long.parseLong(params.getOrDefault("after", "0"));
                all.stream().filter(r -> r.get("id").asLong() > after).limit(PAGE).forEach(page::add);
                send(ex, 200, page.toString());
            }
            default -> send(ex, 404, "{}");
        }
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
