package io.caravan.source.api;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Positions of the api source, and the URL its errors show. */
class ApiRecordsTest {

    @Test
    void positionsCompareAsNumbersThenInstantsThenText() {
        assertThat(ApiRecords.compare("9", "10")).isNegative();
        assertThat(ApiRecords.compare("10.50", "10.5")).isZero();
        assertThat(ApiRecords.compare("2024-05-01T12:00:00+02:00", "2024-05-01T11:00:00Z")).isNegative();
        assertThat(ApiRecords.compare("2024-05-01 10:00:00", "2024-05-01T10:00:00Z")).isZero();
        assertThat(ApiRecords.compare("abc", "abd")).isNegative();
    }

    @Test
    void shownUrlHidesUserInfoAndTheMappingsQueryValues() {
        try (PageClient c = new PageClient("https://u:pw@api.example.com/v1/items?api_key=s3cret&x", null, null)) {
            assertThat(c.shown("since", "2024-05-01T10:00:00Z"))
                    .isEqualTo("https://api.example.com/v1/items?api_key=***&x&since=2024-05-01T10%3A00%3A00Z");
            assertThat(c.shown(null, null)).isEqualTo("https://api.example.com/v1/items?api_key=***&x");
        }
    }

    @Test
    void clientSendsQueryAndAuthorizationThroughCamelHttp() throws IOException {
        AtomicReference<String> seen = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.set(ex.getRequestURI().getRawQuery() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "[1]".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(418, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (PageClient c = new PageClient("http://127.0.0.1:" + server.getAddress().getPort() + "/p?a=1",
                "Token t", null)) {
            PageClient.Page page = c.get("page", "2");
            assertThat(page.status()).isEqualTo(418);
            assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("[1]");
            assertThat(seen.get()).isEqualTo("a=1&page=2 Token t");
        } finally {
            server.stop(0);
        }
    }
}
