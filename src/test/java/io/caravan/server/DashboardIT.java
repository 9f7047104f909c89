package io.caravan.server;

import io.caravan.batch.TableRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web dashboard in a real headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs), driven
 * over the DevTools Protocol: it shows the runs, the Run now button posts with the typed token, and it refreshes
 * itself. Leaves a screenshot in {@code target/dashboard.png}.
 */
class DashboardIT {

    private static final String TOKEN = "dashboard-token";
    private static final String SHOP = "section[data-job=\"shop\"]";
    private static final String RUN_NOW = SHOP + " button.run-now";

    @TempDir
    Path dir;

    @TempDir
    Path profile;

    private static String text(String selector) {
        return "(document.querySelector('" + selector.replace("'", "\\'") + "') || {innerText: ''}).innerText";
    }

    @Test
    void dashboardShowsRunsAndRunNowPostsWithTheTypedToken() throws Exception {
        assumeTrue(Files.isExecutable(Cdp.CHROMIUM), "the dashboard test needs Debian's chromium at "
                + Cdp.CHROMIUM + " (apt-get install -y chromium chromium-driver; .ci/run installs it)");
        Files.createDirectories(Path.of("target"));
        try (ApiServer server = new ApiServer(dir, TOKEN, Map.of());
             Cdp browser = Cdp.start(profile, Path.of("target", "dashboard-chromium.log"))) {
            TableRun orders = server.succeeded("orders", 1_234_567);
            server.finish(server.start("lines"), new IllegalStateException("disk full on /var/lib/warehouse"));

            browser.send("Emulation.setDeviceMetricsOverride", Map.of("width", 1400, "height", 1000,
                    "deviceScaleFactor", 1, "mobile", false));
            browser.send("Page.navigate", Map.of("url", server.uri("/").toString()));
            browser.await(text(SHOP + " tr[data-table=\"orders\"]") + ".includes('1,234,567')");
            assertThat(browser.eval(text(SHOP + " tr[data-table=\"orders\"]")).asText())
                    .contains("syncing", "0 */5 * * * ?", "warehouse", "succeeded", "117.7 MB", "43 s");
            assertThat(browser.eval(text(SHOP + " tr[data-table=\"lines\"]")).asText())
                    .contains("failed", "java.lang.IllegalStateException: disk full on /var/lib/warehouse");
            assertThat(browser.eval(text("#runs tr[data-run=\"" + orders.id() + "\"]")).asText())
                    .contains("shop", "orders", "1,234,567");
            assertThat(browser.eval(text("#health")).asText()).isEqualTo("DEGRADED: shop");
            assertThat(browser.eval("document.querySelector('section[data-job=\"crm\"] button.run-now').disabled")
                    .asBoolean()).as("a job another replica holds cannot be run from here").isTrue();

            browser.click(RUN_NOW);
            browser.await(text("#message") + ".includes('Type the API token')");
            browser.type("#token", "not-the-token");
            browser.click(RUN_NOW);
            browser.await(text("#message") + ".includes('refused (401): wrong API token')");
            assertThat(server.jobs.runNowCalls).isEmpty();

            browser.eval("document.querySelector('#token').value = ''");
            browser.type("#token", TOKEN);
            browser.click(RUN_NOW);
            browser.await(text("#message") + ".includes('Run of shop started: orders, lines')");
            assertThat(server.jobs.runNowCalls).containsExactly("shop/*");
            assertThat(browser.eval("localStorage.getItem('caravan.apiToken')").asText()).isEqualTo(TOKEN);
            browser.screenshot(Path.of("target", "dashboard.png"));

            TableRun later = server.succeeded("lines", 10);
            browser.await(text("#runs tr[data-run=\"" + later.id() + "\"]") + ".includes('lines')");
            browser.await(text("#health") + " === 'UP'");
        }
        assertThat(Files.size(Path.of("target", "dashboard.png"))).isGreaterThan(10_000);
    }
}
