package io.caravan.state;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.caravan.mapping.Settings;
import io.caravan.mapping.SettingsLoader;
import io.caravan.testing.MongoTestServer;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code dashboard_store} picks the run store: embedded by default, a JDBC URL, or MongoDB with its names. */
class RunStoresIT {

    @TempDir
    Path dir;

    private static Settings withDashboardStore(Map<String, String> store) {
        Settings d = Settings.defaults();
        return new Settings(d.timezone(), d.notifyEnabled(), d.slackNotif(), d.cutOffTime(), d.cursorStoreUrl(),
                d.cursorStoreUser(), d.cursorStorePassword(), store, d.fastapiServer(), d.server(), d.retries(),
                d.cluster());
    }

    @Test
    void withoutDashboardStoreTheEmbeddedStoreIsUnderTheStateDirectory() {
        try (RunStore store = RunStores.open(Settings.defaults(), dir.resolve(".caravan"))) {
            assertThat(store).isInstanceOf(JdbcRunStore.class);
            store.save(RunStoreContract.running("r", "shop", "orders", RunStoreContract.T0));
        }
        assertThat(dir.resolve(".caravan/runs.mv.db")).isRegularFile();
    }

    @Test
    void aJdbcUrlFromASettingsFileOpensThatDatabaseWithItsUserAndPassword() throws IOException {
        PgServer pg = PgServer.get();
        String db = pg.createDatabase("runstores");
        Path file = Files.writeString(dir.resolve("settings.yaml"), "dashboard_store:\n  url: " + pg.jdbcUrl(db)
                + "\n  username: " + pg.user() + "\n  password: '" + pg.password() + "'\n");
        try (RunStore store = RunStores.open(SettingsLoader.load(file), dir.resolve(".caravan"))) {
            assertThat(store.toString()).isEqualTo("run store " + pg.jdbcUrl(db));
            store.save(RunStoreContract.running("r", "shop", "orders", RunStoreContract.T0));
            assertThat(store.find("r")).isPresent();
        }
        assertThat(dir.resolve(".caravan")).doesNotExist();
    }

    @Test
    void aMongoUrlOpensTheCollectionOfDbNameAndCollectionName() throws IOException {
        MongoServer server = MongoTestServer.create();
        String url = "mongodb://127.0.0.1:" + server.bind().getPort();
        try {
            Path file = Files.writeString(dir.resolve("settings.yaml"), "dashboard_store:\n  url: " + url
                    + "\n  db_name: dms\n  collection_name: dashboard\n");
            try (RunStore store = RunStores.open(SettingsLoader.load(file), dir.resolve(".caravan"));
                 MongoClient client = MongoClients.create(url)) {
                assertThat(store).isInstanceOf(MongoRunStore.class);
                store.save(RunStoreContract.running("r", "shop", "orders", RunStoreContract.T0));
                assertThat(client.getDatabase("dms").getCollection("dashboard").countDocuments()).isEqualTo(1);
            }
            try (RunStore store = RunStores.open(withDashboardStore(Map.of("url", url)), dir);
                 MongoClient client = MongoClients.create(url)) {
                store.save(RunStoreContract.running("r", "shop", "orders", RunStoreContract.T0));
                assertThat(client.getDatabase(RunStores.DEFAULT_DB_NAME)
                        .getCollection(RunStores.DEFAULT_COLLECTION_NAME).countDocuments()).isEqualTo(1);
            }
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void anUnknownShapeNamesTheKey() {
        assertThatThrownBy(() -> RunStores.open(withDashboardStore(Map.of("url", "redis://h:6379")), dir))
                .isInstanceOf(StateException.class)
                .hasMessage("dashboard_store.url: expected a JDBC URL or a MongoDB URL (got 'redis://h:6379'); write"
                        + " e.g. jdbc:postgresql://host:5432/caravan or mongodb://host:27017");
        assertThatThrownBy(() -> RunStores.open(withDashboardStore(Map.of("db_name", "dms")), dir))
                .isInstanceOf(StateException.class).hasMessageStartingWith("dashboard_store.url: missing; ");
        assertThatThrownBy(() -> RunStores.open(withDashboardStore(Map.of("url", "jdbc:h2:mem:x",
                "password", "${env:CARAVAN_TEST_UNSET_VARIABLE}")), dir))
                .isInstanceOf(StateException.class)
                .hasMessage("dashboard_store.password: environment variable CARAVAN_TEST_UNSET_VARIABLE is not set");
        assertThat(dir.resolve("runs.mv.db")).doesNotExist();
    }
}
