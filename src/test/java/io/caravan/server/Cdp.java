package io.caravan.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (one page, java.net.http's WebSocket), for the
 * dashboard test. The browser runs with a fresh profile in {@code profile}; {@link #close()} ends it and its
 * child processes.
 */
final class Cdp implements AutoCloseable {

    /** Where Debian's {@code chromium} package puts the browser. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Process browser;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Cdp(Process browser, Path profile, WebSocket socket) {
        this.browser = browser;
        this.profile = profile;
        this.socket = socket;
    }

    /**
     * Starts Chromium headless with remote debugging on a port it picks, and connects to its first page.
     *
     * @param profile an empty directory for the browser's profile
     * @param log     where the browser's output goes
     */
    static Cdp start(Path profile, Path log) throws Exception {
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
                "--window-size=1400,1000", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = debuggingPort(profile.resolve("DevToolsActivePort"), p);
            URI page = URI.create(pageSocket(port));
            Cdp[] self = new Cdp[1];
            Listener listener = new Listener(self);
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(page, listener)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new Cdp(p, profile, ws);
            listener.ready.complete(null);
            return self[0];
        } catch (Exception e) {
            destroy(p);
            throw e;
        }
    }

    /** Reads the port Chromium writes to {@code DevToolsActivePort} (its first line) once it listens. */
    private static int debuggingPort(Path file, Process p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + " before listening");
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium did not write " + file + " within " + WAIT);
    }

    /** @return the WebSocket URL of the browser's first page, from its {@code /json/list} */
    private static String pageSocket(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(list, HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(r.body())) {
                if ("page".equals(target.path("type").asText())) {
                    return target.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium on port " + port + " opened no page within " + WAIT);
    }

    /**
     * Sends one command and waits for its answer.
     *
     * @return the command's {@code result}
     * @throws IllegalStateException with the protocol's error message when the command failed
     */
    JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(msg), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    /**
     * @param expression JavaScript run in the page (awaited when it gives a promise)
     * @return its value, as JSON
     * @throws IllegalStateException with the exception's text when the script threw
     */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /**
     * Waits until {@code condition} (JavaScript) is true in the page.
     *
     * @throws AssertionError naming the condition and the page's text when it is not true within a minute
     */
    void await(String condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (eval("Boolean(" + condition + ")").asBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not true within " + WAIT + ": " + condition + "\npage text:\n"
                + eval("document.body ? document.body.innerText : ''").asText());
    }

    /** Clicks the centre of the element {@code selector} finds, with the mouse, as a person would. */
    void click(String selector) throws Exception {
        JsonNode box = eval("(() => { const r = document.querySelector(" + JSON.writeValueAsString(selector)
                + ").getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(),
                    "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** Focuses the element {@code selector} finds and types {@code text} into it. */
    void type(String selector, String text) throws Exception {
        eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").focus()");
        send("Input.insertText", Map.of("text", text));
    }

    /** Saves a PNG of the page's viewport to {@code file}. */
    void screenshot(Path file) throws Exception {
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(shot.get("data").asText()));
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        Path link = profile.resolve("SingletonSocket");
        Path socketDir = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getParent() : null;
        destroy(browser);
        if (socketDir != null && socketDir.getFileName().toString().startsWith("org.chromium.Chromium.")) {
            try (var files = Files.walk(socketDir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Ends the browser and its children (renderer, GPU and zygote processes), waiting for them. */
    private static void destroy(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : all) {
                h.destroyForcibly();
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("chromium did not end", e);
        }
    }

    /** Collects each message's parts and completes the command it answers; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final Cdp[] owner;
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        Listener(Cdp[] owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                ready.join();
                try {
                    JsonNode node = JSON.readTree(message);
                    if (node.has("id")) {
                        CompletableFuture<JsonNode> f = owner[0].pending.remove(node.get("id").asInt());
                        if (f != null) {
                            f.complete(node);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON from chromium: " + message, e);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
