package io.caravan.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.caravan.state.Cursor;
import io.caravan.state.JdbcCursorStore;
import io.caravan.testing.MongoTestServer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MongoDB source through {@code caravan run} into PostgreSQL, against mongo-java-server in this JVM (advertising
 * MongoDB 5.0, which the 5.x driver needs; CAMEL-NOTES §13), read by the real driver.
 */
class MongoSourceIT {


    @TempDir
    Path dir;

    private MongoServer server;
    private MongoClient client;
    private String url;
    private MongoCollection<Document> events;

    @BeforeEach
    void startMongo() {
        server = new MongoServer(new MemoryBackend().version(MongoTestServer.V5_0));
        InetSocketAddress address = server.bind();
        url = "mongodb://127.0.0.1:" + address.getPort();
        client = MongoClients.create(url);
        events = client.getDatabase("app").getCollection("events");
    }

    @AfterEach
    void stopMongo() {
        client.close();
        server.shutdownNow();
    }

    private Path mapping(PipelineHarness h, String collectionYaml) {
        Path file = dir.resolve("shop.yaml");
        try {
            Files.writeString(file, "source:\n  source_type: mongo\n  url: " + url + "\n  db_name: app\n"
                    + "destination:\n" + h.destinationYaml("warehouse", 0, null)
                    + "collections:\n  - collection_name: events\n    cron: self-managed\n" + collectionYaml);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static long rowsRead(PipelineHarness.Result r) {
        Matcher m = Pattern.compile("shop\\s+\\w+\\s+warehouse\\s+\\w+\\s+([\\d,]+)\\s").matcher(r.out());
        assertThat(m.find()).as("summary line in %s", r.out()).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static Date ago(long minutes) {
        return Date.from(Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
    }

    private List<ObjectId> insertPlain(int n, long minutesAgo) {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            events.insertOne(new Document("_id", id).append("name", "e" + i).append("n", i)
                    .append("updated_at", ago(minutesAgo)));
        }
        return ids;
    }

    @Test
    void dumpingCastsFieldsCountsFallbacksAndWritesNestedValuesAsJsonb() {
        ObjectId a = new ObjectId();
        ObjectId b = new ObjectId();
        ObjectId c = new ObjectId();
        events.insertOne(new Document("_id", a).append("priority", 5).append("amount", "2.5")
                .append("is_available", "yes").append("created_at", "2024-05-01T12:00:00+02:00")
                .append("address", new Document("city", "Oslo").append("zip", 150))
                .append("tags", List.of("x", 1)).append("note", 42).append("when", Date.from(
                        Instant.parse("2024-05-01T10:00:00Z"))));
        events.insertOne(new Document("_id", b).append("priority", "seven").append("amount", "lots")
                .append("is_available", "maybe").append("created_at", "never").append("address", "unknown"));
        events.insertOne(new Document("_id", c).append("priority", "12").append("amount", 3)
                .append("is_available", false).append("created_at", Date.from(Instant.parse("2024-05-02T00:00:00Z")))
                .append("late_field", "only in the last batch"));
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: dumping\n    batch_size: 1\n    fields: {created_at: datetime,"
                + " is_available: bool, priority: int, amount: float}\n");

        PipelineHarness.Result r = h.runOk(m);

        String dst = h.destinationDb(0);
        String table = "\"mongo_app_dms\".events";
        assertThat(h.columnTypes(dst, table, false)).containsExactly("_id text", "address jsonb",
                "amount double precision", "created_at timestamp with time zone", "is_available boolean",
                "late_field text", "note text", "priority bigint", "tags jsonb", "when text",
                "migration_snapshot_date timestamp with time zone");
        String columns = "_id, priority, amount, is_available, created_at AT TIME ZONE 'UTC', address, tags, note,"
                + " \"when\", late_field";
        assertThat(h.tableRows(dst, table, columns, "priority")).containsExactly(
                b.toHexString() + "|0|∅|∅|∅|\"unknown\"|∅|∅|∅|∅",
                a.toHexString() + "|5|2.5|t|2024-05-01 10:00:00|{\"zip\": 150, \"city\": \"Oslo\"}|[\"x\", 1]|42"
                        + "|2024-05-01T10:00:00Z|∅",
                c.toHexString() + "|12|3|f|2024-05-02 00:00:00|∅|∅|∅|∅|only in the last batch");
        assertThat(r.out()).contains("-- shop.events: 4 value(s) would not cast and got the seed's default"
                + " (int 0, else null): amount 1, created_at 1, is_available 1, priority 1");

        events.deleteOne(Filters.eq("_id", b));
        assertThat(rowsRead(h.runOk(m))).isEqualTo(2);
        assertThat(h.rows(dst, "SELECT count(*) FROM " + table + " GROUP BY migration_snapshot_date"
                + " ORDER BY migration_snapshot_date")).as("one full snapshot per run").containsExactly("3", "2");
    }

    @Test
    void strictFalseWritesNestedValuesAsJsonText() {
        ObjectId a = new ObjectId();
        events.insertOne(new Document("_id", a).append("address", new Document("city", "Oslo"))
                .append("tags", List.of(1, 2)).append("ref", new ObjectId("65f000000000000000000001")));
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.runOk(mapping(h, "    mode: logging\n    strict: false\n"));

        String dst = h.destinationDb(0);
        String table = "\"mongo_app_dms\".events";
        assertThat(h.columnTypes(dst, table, false)).containsExactly("_id text", "address text", "ref text",
                "tags text");
        assertThat(h.tableRows(dst, table, "_id, address, ref, tags", "_id")).containsExactly(
                a.toHexString() + "|{\"city\": \"Oslo\"}|65f000000000000000000001|[1, 2]");
    }

    @Test
    void loggingAppendsNewDocumentsAddsNewFieldsAndReplaysWithoutDuplicates() {
        List<ObjectId> ids = insertPlain(10, 60);
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: logging\n    batch_size: 3\n    time_delay: 0\n");
        assertThat(rowsRead(h.runOk(m))).isEqualTo(10);

        events.insertOne(new Document("_id", new ObjectId()).append("name", "new").append("color", "red"));
        events.updateOne(Filters.eq("_id", ids.get(0)), Updates.set("name", "changed"));
        assertThat(rowsRead(h.runOk(m))).as("only the new document").isEqualTo(1);
        String dst = h.destinationDb(0);
        String table = "\"mongo_app_dms\".events";
        assertThat(h.count(dst, "SELECT count(*) FROM " + table)).isEqualTo(11);
        assertThat(h.rows(dst, "SELECT color FROM " + table + " WHERE name = 'new'")).containsExactly("red");
        assertThat(h.rows(dst, "SELECT name FROM " + table + " WHERE _id = '" + ids.get(0).toHexString() + "'"))
                .as("logging does not follow updates").containsExactly("e0");

        // a crash after the third document: the cursor is back there, the run replays the rest
        try (JdbcCursorStore store = JdbcCursorStore.openEmbedded(dir.resolve(".caravan"))) {
            store.commit("shop", "events", Cursor.incremental(null, "{\"_id\": {\"$oid\": \""
                    + ids.get(2).toHexString() + "\"}}"));
        }
        assertThat(rowsRead(h.runOk(m))).isEqualTo(8);
        assertThat(h.count(dst, "SELECT count(*) FROM " + table)).isEqualTo(11);
        assertThat(h.count(dst, "SELECT count(DISTINCT _id) FROM " + table)).isEqualTo(11);
        assertThat(rowsRead(h.runOk(m))).isZero();
    }

    @Test
    void syncingReadsUpdatesAndInsertsIncrementally() {
        List<ObjectId> ids = insertPlain(20, 60);
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: syncing\n    batch_size: 4\n    bookmark: updated_at\n"
                + "    fields: {updated_at: datetime, n: int}\n");
        assertThat(rowsRead(h.runOk(m))).isEqualTo(20);
        String dst = h.destinationDb(0);
        String table = "\"mongo_app_dms\".events";
        assertThat(h.columnTypes(dst, table, false)).containsExactly("_id text", "n bigint", "name text",
                "updated_at timestamp with time zone");

        events.updateOne(Filters.eq("_id", ids.get(3)), Updates.combine(Updates.set("name", "changed"),
                Updates.set("updated_at", ago(0)), Updates.set("extra", new Document("k", true))));
        events.updateOne(Filters.eq("_id", ids.get(15)), Updates.combine(Updates.set("n", "not a number"),
                Updates.set("updated_at", ago(0))));
        events.insertOne(new Document("_id", new ObjectId()).append("name", "new").append("n", 99)
                .append("updated_at", ago(0)));
        PipelineHarness.Result second = h.runOk(m);
        assertThat(rowsRead(second)).isEqualTo(3);
        assertThat(second.out()).contains("n 1");
        assertThat(h.count(dst, "SELECT count(*) FROM " + table)).isEqualTo(21);
        assertThat(h.tableRows(dst, table, "name, n, extra", "n, name")).contains("changed|3|{\"k\": true}",
                "e15|0|∅", "new|99|∅");
        assertThat(rowsRead(h.runOk(m))).as("nothing changed").isZero();
    }

    @Test
    void syncingWithBufferLagRereadsRecentDocumentsWithoutDuplicates() {
        insertPlain(5, 60);
        insertPlain(5, 60 * 48);
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: syncing\n    batch_size: 2\n    bookmark: updated_at\n"
                + "    buffer_updation_lag: {hours: 2}\n");
        assertThat(rowsRead(h.runOk(m))).as("all, then the catch-up read rereads the last two hours, as PgSource")
                .isEqualTo(15);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM \"mongo_app_dms\".events")).isEqualTo(10);
        assertThat(rowsRead(h.runOk(m))).as("the last two hours again").isEqualTo(5);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM \"mongo_app_dms\".events")).isEqualTo(10);
    }

    @Test
    void improperBookmarksHoldingTextTimestampsSyncIncrementally() {
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ObjectId id = new ObjectId();
            ids.add(id);
            events.insertOne(new Document("_id", id).append("note", "n" + i)
                    .append("stamp", "2024-05-01 " + (10 + i) + ":00:00+00"));
        }
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: syncing\n    batch_size: 5\n    bookmark: stamp\n"
                + "    improper_bookmarks: true\n");
        assertThat(rowsRead(h.runOk(m))).isEqualTo(12);

        String now = Instant.now().toString();
        events.updateOne(Filters.eq("_id", ids.get(4)), Updates.combine(Updates.set("note", "changed"),
                Updates.set("stamp", now)));
        events.updateOne(Filters.eq("_id", ids.get(7)), Updates.set("note", "silent"));
        assertThat(rowsRead(h.runOk(m))).isEqualTo(1);
        String dst = h.destinationDb(0);
        assertThat(h.rows(dst, "SELECT note FROM \"mongo_app_dms\".events ORDER BY stamp")).hasSize(12)
                .contains("changed").doesNotContain("silent");
        assertThat(rowsRead(h.runOk(m))).isZero();
    }
    @Test
    void partitionColIsCastAsItsFormatSaysAndTimeDelayWaitsBetweenBatches() {
        for (int i = 0; i < 5; i++) {
            events.insertOne(new Document("_id", new ObjectId()).append("name", "e" + i)
                    .append("created_at", Date.from(Instant.parse("2024-0" + (5 + i % 2) + "-10T00:00:00Z"))));
        }
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path m = mapping(h, "    mode: logging\n    batch_size: 2\n    time_delay: 1\n"
                + "    partition_col: created_at\n    partition_col_format: datetime\n");
        long started = System.nanoTime();
        assertThat(rowsRead(h.runOk(m))).isEqualTo(5);
        assertThat((System.nanoTime() - started) / 1_000_000).as("two waits of a second between three batches")
                .isGreaterThanOrEqualTo(2000);

        String dst = h.destinationDb(0);
        String table = "\"mongo_app_dms\".events";
        assertThat(h.columnTypes(dst, table, false)).contains("created_at timestamp with time zone");
        assertThat(h.rows(dst, "SELECT relkind FROM pg_class WHERE oid = '" + table + "'::regclass"))
                .containsExactly("p");
        assertThat(h.rows(dst, "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), count(*) FROM " + table
                + " GROUP BY 1 ORDER BY 1")).containsExactly("2024-05|3", "2024-06|2");
    }
}
