package io.caravan.source.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import io.caravan.batch.Batch;
import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.source.BatchStream;
import io.caravan.source.SourceException;
import io.caravan.state.JdbcCursorStore;
import io.caravan.testing.MongoTestServer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MongoDB source read directly (no route): the source clock, and a field that appears during a run. */
class MongoSourceReadIT {

    @TempDir
    Path dir;

    private MongoServer server;
    private MongoClient client;
    private String url;

    @BeforeEach
    void startMongo() {
        server = MongoTestServer.create();
        url = "mongodb://127.0.0.1:" + server.bind().getPort();
        client = MongoClients.create(url);
    }

    @AfterEach
    void stopMongo() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void theCeilingIsTheServersClock() {
        // mongo-java-server knows isMaster, hello's older name, not hello
        Object localTime = client.getDatabase("admin").runCommand(new Document("isMaster", 1)).get("localTime");
        assertThat(localTime).as("isMaster answers localTime").isInstanceOf(java.util.Date.class);
        OffsetDateTime clock = MongoSource.clock(client);
        assertThat(Duration.between(((java.util.Date) localTime).toInstant(), clock.toInstant()).abs())
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFieldFirstSeenAfterTheFirstPassFailsTheRunNamingIt() throws IOException {
        MongoCollection<Document> events = client.getDatabase("app").getCollection("events");
        for (int i = 0; i < 50; i++) {
            events.insertOne(new Document("_id", i).append("name", "e" + i));
        }
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, "source: {source_type: mongo, url: \"" + url + "\", db_name: app}\n"
                + "destination:\n  dw: {destination_type: pgsql, url: localhost, db_name: dw}\n"
                + "collections:\n  - {collection_name: events, cron: self-managed, mode: dumping, batch_size: 1}\n");
        JobMapping job = MappingLoader.load(file);
        try (JdbcCursorStore store = JdbcCursorStore.openEmbedded(dir.resolve("state"));
             TableRun run = new TableRun(job, job.tables().get(0), store)) {
            BatchStream stream = new MongoSource(job.source(), job.tables().get(0)).read(run);
            assertThat(run.shape().columns()).extracting(c -> c.name()).containsExactly("_id", "name");
            // the reader is blocked a few documents in: batches of one, a queue of one
            events.updateOne(Filters.eq("_id", 49), Updates.set("color", "red"));
            assertThatThrownBy(() -> {
                while (stream.hasNext()) {
                    Batch b = stream.next();
                    assertThat(b.rowCount()).isLessThanOrEqualTo(1);
                }
            }).isInstanceOf(SourceException.class).hasMessageContaining("job shop, collection events: field 'color'"
                    + " of document 49 appeared after the run began").hasMessageContaining("run again");
            stream.close();
        }
    }
}
