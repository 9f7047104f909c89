package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void allKeysAreRead() throws IOException {
        Path file = write("settings.yaml", """
                timezone: Asia/Kolkata
                notify: true
                slack_notif:
                  webhook_url: ${env:SLACK_WEBHOOK}
                  channel: '#dms'
                cut_off_time: '18:30'
                encryption_store:
                  url: jdbc:postgresql://state:5432/caravan
                  username: caravan
                  password: ${env:STATE_PASSWORD}
                dashboard_store:
                  url: jdbc:postgresql://stats:5432/caravan
                fastapi_server: true
                server_host: 0.0.0.0
                server_port: 9090
                api_token: ${env:CARAVAN_API_TOKEN}
                retries:
                  max_attempts: 5
                  initial_delay_seconds: 2
                cluster:
                  lock: none
                """);

        Settings settings = SettingsLoader.load(file);

        assertThat(settings).isEqualTo(new Settings("Asia/Kolkata", true,
                Map.of("webhook_url", "${env:SLACK_WEBHOOK}", "channel", "#dms"), LocalTime.of(18, 30),
                "jdbc:postgresql://state:5432/caravan", "caravan", new Secret("${env:STATE_PASSWORD}"),
                Map.of("url", "jdbc:postgresql://stats:5432/caravan"), true,
                new Settings.Server("0.0.0.0", 9090, new Secret("${env:CARAVAN_API_TOKEN}")),
                new Settings.Retries(5, 2, 300), new Settings.Cluster("none", null)));
    }

    @Test
    void emptyMapGivesTheDefaults() throws IOException {
        assertThat(SettingsLoader.load(write("settings.json", "{}"))).isEqualTo(Settings.defaults());
    }

    @Test
    void everyProblemIsReported() throws IOException {
        Path file = write("settings.yaml", """
                timezone: Asia/Calcuta
                notify: true
                slack_notif:
                  slack_token: ${env:SLACK_TOKEN}
                cut_off_time: 25:00
                encryption_store:
                  url: mongodb://state
                fastapi_srver: true
                retries:
                  max_attempts: 0
                cluster:
                  lock: zookeeper
                """);

        assertThatThrownBy(() -> SettingsLoader.load(file)).isInstanceOf(MappingException.class).hasMessage(
                String.join("\n",
                        file + ":1:11 timezone: unknown time zone (got 'Asia/Calcuta'); "
                                + "write an IANA name such as UTC or Asia/Kolkata",
                        file + ":4:3 slack_notif.channel: required when notify is true; "
                                + "add slack_notif: with webhook_url, or with slack_token and channel",
                        file + ":5:15 cut_off_time: expected a time of day HH:MM or HH:MM:SS (got '25:00'); "
                                + "write e.g. 18:30 or 06:00:00",
                        file + ":7:8 encryption_store.url: expected a JDBC URL (got 'mongodb://state'); "
                                + "write e.g. jdbc:postgresql://host:5432/caravan",
                        file + ":8:1 fastapi_srver: unknown key; did you mean 'fastapi_server'?",
                        file + ":10:17 retries.max_attempts: must be 1 or more (got '0'); "
                                + "write the number of attempts in all, 1 for no retry",
                        file + ":12:9 cluster.lock: unknown lock (got 'zookeeper'); allowed: file, none"));
    }

    @Test
    void dashboardStoreIsTheSeedsMongoStoreWithItsNames() throws IOException {
        Path file = write("settings.yaml", """
                dashboard_store:
                  url: mongodb://stats.example.com:27017/?authSource=admin
                  db_name: dms
                  collection_name: run_stats
                  username: caravan
                  password: ${env:STATS_PASSWORD}
                """);

        assertThat(SettingsLoader.load(file).dashboardStore()).containsExactly(
                Map.entry("url", "mongodb://stats.example.com:27017/?authSource=admin"),
                Map.entry("username", "caravan"),
                Map.entry("password", "${env:STATS_PASSWORD}"), Map.entry("db_name", "dms"),
                Map.entry("collection_name", "run_stats"));
    }

    @Test
    void dashboardStoreProblemsNameTheKey() throws IOException {
        Path jdbcWithMongoNames = write("a.yaml", """
                dashboard_store:
                  url: jdbc:postgresql://stats:5432/caravan
                  db_name: dms
                  colection_name: runs
                """);
        Path unknownUrl = write("b.yaml", """
                dashboard_store:
                  url: redis://stats:6379
                """);
        Path noUrl = write("c.yaml", """
                dashboard_store:
                  db_name: dms
                """);

        assertThatThrownBy(() -> SettingsLoader.load(jdbcWithMongoNames)).isInstanceOf(MappingException.class)
                .hasMessage(String.join("\n",
                        jdbcWithMongoNames + ":3:12 dashboard_store.db_name: is for a MongoDB url only (got 'dms'); "
                                + "a JDBC URL names its database; remove db_name",
                        jdbcWithMongoNames + ":4:3 dashboard_store.colection_name: unknown key; "
                                + "did you mean 'collection_name'?"));
        assertThatThrownBy(() -> SettingsLoader.load(unknownUrl)).isInstanceOf(MappingException.class)
                .hasMessage(unknownUrl + ":2:8 dashboard_store.url: expected a JDBC or MongoDB URL "
                        + "(got 'redis://stats:6379'); write e.g. jdbc:postgresql://host:5432/caravan "
                        + "or mongodb://host:27017");
        assertThatThrownBy(() -> SettingsLoader.load(noUrl)).isInstanceOf(MappingException.class)
                .hasMessage(noUrl + ":2:3 dashboard_store.url: missing required key; write a JDBC URL "
                        + "(e.g. jdbc:postgresql://host:5432/caravan) or a MongoDB URL (e.g. mongodb://host:27017), "
                        + "or leave dashboard_store out for the embedded store");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
