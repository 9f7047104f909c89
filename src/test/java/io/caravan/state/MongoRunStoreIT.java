package io.caravan.state;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.caravan.state.RunRecord.DestinationRun;
import io.caravan.testing.MongoTestServer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The run store contract on MongoDB (the seed's {@code dashboard_store}), served in-process by mongo-java-server
 * advertising MongoDB 5.0 (CAMEL-NOTES §13); plus the document's shape and the collection's indexes.
 */
class MongoRunStoreIT extends RunStoreContract {

    private MongoServer server;
    private String url;

    @BeforeEach
    void startMongo() {
        server = MongoTestServer.create();
        url = "mongodb://127.0.0.1:" + server.bind().getPort();
    }

    @AfterEach
    void stopMongo() {
        server.shutdownNow();
    }

    @Override
    RunStore open() {
        return MongoRunStore.open(url, "dms", "run_stats");
    }

    @Test
    void oneDocumentPerRunWithItsDestinationsEmbeddedAndIndexesOnJobAndStart() {
        RunRecord end = succeeded(running("doc-1", "shop", "orders", T0), List.of(
                new DestinationRun("dw", 1_500, 3, 98_000, 3.25), new DestinationRun("lake", 1_500, 0, 50_000, 1.5)));
        try (RunStore store = open()) {
            store.save(running("doc-1", "shop", "orders", T0));
            store.save(end);
        }
        try (MongoClient client = MongoClients.create(url)) {
            var runs = client.getDatabase("dms").getCollection("run_stats");
            assertThat(runs.countDocuments()).isEqualTo(1);
            Document doc = runs.find().first();
            assertThat(doc.getString("_id")).isEqualTo("doc-1");
            assertThat(doc.getDate("started")).isEqualTo(Date.from(T0));
            assertThat(doc.getString("status")).isEqualTo("succeeded");
            assertThat(doc.getLong("rows_written")).isEqualTo(3_000);
            assertThat(doc.getLong("rows_deleted")).isEqualTo(3);
            assertThat(doc.getLong("bytes")).isEqualTo(148_000);
            assertThat(doc.getList("destinations", Document.class)).extracting(d -> d.getString("destination"))
                    .containsExactly("dw", "lake");
            List<String> indexes = new ArrayList<>();
            runs.listIndexes().forEach(i -> indexes.add(i.getString("name") + " " + i.get("key", Document.class)
                    .toJson()));
            assertThat(indexes).contains("job_started {\"job\": 1, \"started\": -1}", "started {\"started\": -1}");
        }
    }

    @Test
    void anUnreachableServerFailsSoonNamingTheUrlButNotThePassword() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> MongoRunStore.open("mongodb://dms:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=300",
                "dms", "runs"))
                .isInstanceOf(StateException.class)
                .hasMessageStartingWith("cannot open the run store mongodb://dms:******@127.0.0.1:1/")
                .hasMessageNotContaining("hunter2");
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(20);
    }
}
