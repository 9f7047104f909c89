package io.caravan.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Slack on 127.0.0.1 (CAMEL-NOTES §8): records every request; answers 200 with
 * {@code {"ok":true}} (what the Web API and a webhook need), or the status set by {@link #answer(int)}, or 200 with
 * {@code {"ok":false}} after {@link #refuse()}.
 * {@link #hold()} keeps requests waiting until {@link #release()}.
 */
final class SlackStub implements AutoCloseable {

    /** One request as received. */
    record Request(String method, String path, String authorization, String contentType, String body) {
        /** @return the form body's fields (token mode posts {@code application/x-www-form-urlencoded}) */
        Map<String, String> form() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return fields;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile boolean refuse;
    private volatile CountDownLatch held = new CountDownLatch(0);

    SlackStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @return {@code http://127.0.0.1:<port>} */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @param code the HTTP status of every answer from now on */
    void answer(int code) {
        status = code;
    }

    /** Answers 200 with {@code {"ok":false,"error":"channel_not_found"}} from now on, as the Web API refuses. */
    void refuse() {
        refuse = true;
    }

    /** Keeps every request from now on waiting (at most 20 s) until {@link #release()}. */
    void hold() {
        held = new CountDownLatch(1);
    }

    void release() {
        held.countDown();
    }

    /** @return the requests received so far, in arrival order */
    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * @param count   requests to wait for
     * @param seconds how long to wait at most
     * @return the requests received, at least {@code count} unless the time ran out
     */
    List<Request> await(int count, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (requests().size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return requests();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
        }
        try {
            held.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = status == 200 && !refuse ? "{\"ok\":true}"
                : "{\"ok\":false,\"error\":\"" + (refuse ? "channel_not_found" : "fatal_error") + "\"}";
        byte[] answer = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
