package io.caravan.serve;

import io.caravan.it.PipelineHarness;
import io.caravan.mapping.Settings;
import io.caravan.mapping.SettingsLoader;
import io.caravan.runtime.ServeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A serve process with {@code notify: true} posts a failed and a succeeded run to a local Slack webhook. */
class ServeSlackIT {

    @TempDir
    Path dir;

    @Test
    void serveModePostsFailuresAndSummariesToSlack() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        Path missing = h.mapping("missing", "  - table_name: no_such_table\n    cron: self-managed\n"
                + "    mode: dumping\n    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");
        try (SlackStub slack = new SlackStub()) {
            Path file = Files.writeString(dir.resolve("settings.yaml"), "notify: true\nslack_notif:\n"
                    + "  webhook_url: " + slack.url() + "/services/T0/B0/x\n  channel: '#dms'\n");
            Settings settings = SettingsLoader.load(file);
            ServeOptions options = new ServeOptions(ZoneId.of("UTC"), null, new Settings.Retries(1, 1, 2),
                    Clock.systemUTC());
            try (Serve serve = new Serve(settings, List.of(dir.resolve("shop.yaml"), missing),
                    dir.resolve(".caravan"), options)) {
                serve.start(60);
                List<SlackStub.Request> posts = slack.await(2, 60);
                assertThat(posts).hasSizeGreaterThanOrEqualTo(2);
                String all = posts.stream().map(SlackStub.Request::body).reduce("", String::concat);
                assertThat(all).contains("missing").contains("no_such_table").contains("shop").contains("orders")
                        .contains("#dms");
                assertThat(posts).allMatch(p -> p.path().equals("/services/T0/B0/x"));
            }
        }
    }
}
