package io.caravan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Settings;
import io.caravan.mapping.SettingsLoader;
import io.caravan.state.Cursor;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SlackNotifier} in a real CamelContext with camel-slack posting to a local HTTP server ({@link SlackStub}):
 * the texts of a failure, a success and a cut-off, webhook and token mode, and a Slack outage (500 answers, nothing
 * listening, a full queue) that never fails or holds up the caller.
 */
class SlackNotifierIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SlackStub slack;
    private CamelContext context;
    private PrintStream oldErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        slack = new SlackStub();
        oldErr = System.err;
        System.setErr(new PrintStream(new Tee(oldErr, err), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (context != null) {
                context.stop();
            }
        } finally {
            slack.close();
            System.setErr(oldErr);
        }
    }

    @Test
    void failurePostsJobTableDestinationsErrorAndNextAttempt() throws Exception {
        SlackNotifier notifier = started(webhookSettings(slack.url() + "/services/T000/B000/XXX"), null);
        assertThat(notifier.webhookMode()).isTrue();
        TableRun run = run();
        run.fail(new IllegalStateException("job shop, table public.orders, destination warehouse: write failed",
                new ConnectException("Connection refused")));
        run.attempt(2);
        run.nextAttempt(Instant.parse("2026-11-22T01:00:00Z"));

        notifier.finished(run);

        SlackStub.Request request = slack.await(1, 30).get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/services/T000/B000/XXX");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("channel").asText()).isEqualTo("#dms");
        assertThat(body.path("text").asText()).isEqualTo(String.join("\n",
                ":x: *Run failed*: job `shop`, table `public.orders`, attempt 2",
                "Destinations: `warehouse`, `lake`",
                "Error: `java.lang.IllegalStateException`: job shop, table public.orders, destination warehouse: "
                        + "write failed",
                "Caused by: `java.net.ConnectException`: Connection refused",
                "Next attempt: 2026-11-22 06:30:00 Asia/Kolkata"));
    }

    @Test
    void successPostsItsSummaryThroughTheWebApiWithTheToken() throws Exception {
        SlackNotifier notifier = started(tokenSettings(), slack.url());
        assertThat(notifier.webhookMode()).isFalse();
        TableRun run = run();
        run.addRead(1_234, 5_000);
        run.stats("warehouse").addWrite(1_234, 3 * 1024 * 1024, 1_000_000);
        run.stats("lake").addWrite(1_200, 512, 1_000_000);
        run.stats("lake").addDelete(34, 1_000_000);
        run.cursorAfter(Cursor.incremental("2026-11-21 23:59:59+00", "42"));
        run.succeed();

        notifier.finished(run);

        List<SlackStub.Request> requests = awaitPath("/api/chat.postMessage");
        assertThat(requests).extracting(SlackStub.Request::path).contains("/api/auth.test", "/api/chat.postMessage");
        assertThat(requests).extracting(SlackStub.Request::authorization).containsOnly("Bearer xoxb-fake");
        SlackStub.Request post = requests.stream().filter(r -> r.path().equals("/api/chat.postMessage")).findFirst()
                .orElseThrow();
        assertThat(post.form()).containsEntry("channel", "#dms");
        assertThat(post.form().get("text")).matches(String.join("\n",
                ":white_check_mark: \\*Run succeeded\\*: job `shop`, table `public.orders`, mode syncing",
                "Read 1,234 rows in \\d+\\.\\d s",
                "• `warehouse`: 1,234 written, 0 deleted, 3\\.0 MB",
                "• `lake`: 1,200 written, 34 deleted, 512 B",
                "Cursor: bookmark `2026-11-21 23:59:59\\+00`, key `42`"));
    }

    @Test
    void cutOffSaysWhenTheTableAndTheJobResumeOncePerJob() throws Exception {
        SlackNotifier notifier = started(webhookSettings(slack.url() + "/hook"), null);
        TableRun run = run();
        run.addRead(5_000, 1);
        run.cursorAfter(Cursor.initial("5000", "2026-11-21 00:00:00+00"));
        run.requestStop(TableRun.Status.CUT_OFF);
        run.endStopped();
        run.nextAttempt(Instant.parse("2026-11-22T18:30:00Z"));

        notifier.finished(run);
        ZonedDateTime midnight = ZonedDateTime.of(2026, 11, 23, 0, 0, 0, 0, ZoneId.of("Asia/Kolkata"));
        notifier.cutOff("shop", midnight);
        notifier.cutOff("shop", midnight);
        notifier.cutOff("shop", midnight.withZoneSameInstant(ZoneId.of("UTC")));
        notifier.cutOff("stock", midnight);

        // one queue, one consumer: messages arrive in the order given; "stock" comes last
        awaitTrue(() -> notifier.sent() == 3);
        List<SlackStub.Request> requests = slack.requests();
        assertThat(requests).hasSize(3);
        assertThat(JSON.readTree(requests.get(2).body()).path("text").asText()).contains("job `stock`");
        assertThat(JSON.readTree(requests.get(0).body()).path("text").asText()).isEqualTo(String.join("\n",
                ":double_vertical_bar: *Run cut off*: job `shop`, table `public.orders` stopped by the cut-off at "
                        + "18:30 after 5,000 rows read",
                "Cursor: initial load, key `5000`",
                "Resumes: 2026-11-23 00:00:00 Asia/Kolkata"));
        assertThat(JSON.readTree(requests.get(1).body()).path("text").asText()).isEqualTo(
                ":double_vertical_bar: *Cut-off*: job `shop` stopped by the cut-off at 18:30, resumes at "
                        + "2026-11-23 00:00:00 Asia/Kolkata");
    }

    /** The serve process's context turns Camel's error handler off (as `caravan run` does); the route keeps its own. */
    @Test
    void slackAnswering500NeverFailsOrHoldsUpARun() throws Exception {
        slack.answer(500);
        context = new DefaultCamelContext();
        context.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerDefinition());
        SlackNotifier notifier = started(webhookSettings(slack.url() + "/hook"), null);
        TableRun run = failedRun();

        long took = timed(() -> notifier.finished(run));

        assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(5));
        awaitTrue(() -> notifier.unsent() == 1);
        assertThat(slack.requests()).hasSize(SlackNotifier.REDELIVERIES + 1);
        // unsent() counts inside the onException block; the exchange leaves the inflight repository just after
        awaitTrue(() -> context.getInflightRepository().size() == 0);
        assertThat(warnings()).contains("WARN SlackNotifier - Slack notification (shop.public.orders failed) not sent "
                + "after 4 attempts, dropped: org.apache.camel.CamelExchangeException:");
    }

    @Test
    void aRefusalOfTheWebApiIsRetriedThenLogged() throws Exception {
        slack.refuse();
        SlackNotifier notifier = started(tokenSettings(), slack.url());

        notifier.finished(failedRun());

        awaitTrue(() -> notifier.unsent() == 1);
        assertThat(slack.requests()).filteredOn(r -> r.path().equals("/api/chat.postMessage"))
                .hasSize(SlackNotifier.REDELIVERIES + 1);
        assertThat(warnings()).contains("WARN SlackNotifier - Slack notification (shop.public.orders failed) not sent "
                + "after 4 attempts, dropped: org.apache.camel.CamelExchangeException:", "channel_not_found");
    }

    @Test
    void slackNotListeningNeverFailsOrHoldsUpARun() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SlackNotifier notifier = started(tokenSettings(), "http://127.0.0.1:" + closedPort);
        TableRun run = failedRun();

        long took = timed(() -> notifier.finished(run));

        assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(5));
        awaitTrue(() -> notifier.unsent() == 1);
        assertThat(warnings()).contains("WARN SlackNotifier - Slack notification (shop.public.orders failed) not sent "
                + "after 4 attempts, dropped: java.net.ConnectException:");
    }

    @Test
    void aFullQueueDropsWithAWarningAndTheRestIsSent() throws Exception {
        slack.hold();
        SlackNotifier notifier = started(webhookSettings(slack.url() + "/hook"), null);
        int offered = SlackNotifier.QUEUE_SIZE + 5;

        TableRun run = failedRun();

        long took = timed(() -> {
            for (int i = 0; i < offered; i++) {
                notifier.finished(run);
            }
        });

        assertThat(took).isLessThan(TimeUnit.SECONDS.toNanos(10));
        // one message is with Slack (held), QUEUE_SIZE wait in the queue: 4 dropped, 5 if the first was not taken yet
        assertThat(notifier.dropped()).isBetween(4L, 5L);
        assertThat(warnings()).contains("WARN SlackNotifier - Slack notification (shop.public.orders failed) dropped: "
                + "100 messages already wait for Slack");
        slack.release();
        long sent = offered - notifier.dropped();
        awaitTrue(() -> notifier.sent() == sent);
        assertThat(slack.requests()).hasSize((int) sent);
        assertThat(notifier.unsent()).isZero();
        awaitTrue(() -> context.getInflightRepository().size() == 0);
    }

    @Test
    void withNotifyOffNothingIsInstalledOrPosted() throws Exception {
        Settings settings = settings("""
                notify: false
                slack_notif: {webhook_url: '%s/hook'}
                """.formatted(slack.url()));
        SlackNotifier notifier = SlackNotifier.forSettings(settings);
        context = new DefaultCamelContext();
        notifier.install(context);
        context.start();

        notifier.finished(failedRun());
        notifier.cutOff("shop", null);

        assertThat(notifier.enabled()).isFalse();
        assertThat(context.getRoutes()).isEmpty();
        assertThat(notifier.dropped()).isZero();
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void anUnsetEnvironmentVariableIsNamedWithItsKey() throws Exception {
        Settings settings = settings("""
                notify: true
                slack_notif: {slack_token: '${env:CARAVAN_TEST_UNSET_SLACK_TOKEN}', channel: '#dms'}
                """);

        assertThatThrownBy(() -> SlackNotifier.forSettings(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings slack_notif.slack_token: environment variable CARAVAN_TEST_UNSET_SLACK_TOKEN "
                        + "is not set; export it or write the value");
    }

    private SlackNotifier started(Settings settings, String serverUrl) throws Exception {
        SlackNotifier notifier = SlackNotifier.forSettings(settings, serverUrl);
        if (context == null) {
            context = new DefaultCamelContext();
        }
        notifier.install(context);
        context.start();
        return notifier;
    }

    private Settings webhookSettings(String webhookUrl) throws Exception {
        return settings("""
                timezone: Asia/Kolkata
                notify: true
                cut_off_time: '18:30'
                slack_notif: {webhook_url: '%s', channel: '#dms'}
                """.formatted(webhookUrl));
    }

    private Settings tokenSettings() throws Exception {
        return settings("""
                timezone: Asia/Kolkata
                notify: true
                slack_notif: {slack_token: xoxb-fake, channel: '#dms'}
                """);
    }

    private Settings settings(String yaml) throws Exception {
        return SettingsLoader.load(Files.writeString(dir.resolve("settings.yaml"), yaml));
    }

    private TableRun run() throws Exception {
        Path file = dir.resolve("shop.yaml");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    source: {source_type: pgsql, url: 'localhost:5432', db_name: shop}
                    destination:
                      warehouse: {destination_type: pgsql, url: 'jdbc:postgresql://dw:5432/dw', db_name: dw}
                      lake: {destination_type: pgsql, url: 'jdbc:postgresql://lake:5432/lake', db_name: lake}
                    tables:
                      - {table_name: public.orders, cron: '0 0 * * * ?', mode: syncing, bookmark: updated_at,
                         primary_key: id, primary_key_datatype: int}
                    """);
        }
        JobMapping mapping = MappingLoader.load(file);
        return new TableRun(mapping, mapping.tables().get(0), null);
    }

    private TableRun failedRun() throws Exception {
        TableRun run = run();
        run.fail(new IllegalStateException("boom"));
        return run;
    }

    private List<SlackStub.Request> awaitPath(String path) throws InterruptedException {
        awaitTrue(() -> slack.requests().stream().anyMatch(r -> r.path().equals(path)));
        return slack.requests();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition met within 30 s").isTrue();
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private String warnings() {
        System.err.flush();
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Writes to the real stderr and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
