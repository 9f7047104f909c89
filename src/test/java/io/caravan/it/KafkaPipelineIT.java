package io.caravan.it;

import io.caravan.source.kafka.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka topics to PostgreSQL through {@code caravan run} against an in-process broker: get_table_name fan-out with
 * col_rename, and a {@code caravan run} in another JVM killed with SIGKILL while its open batch waits, then run
 * again, without and with Redis, leaving no row twice.
 */
class KafkaPipelineIT {

    private static final String REDIS_URL = "redis://127.0.0.1:6379";

    private final KafkaBroker broker = KafkaBroker.get();

    @TempDir
    Path dir;

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private Path mapping(PipelineHarness h, String job, String topic, String topicKeys, boolean redis)
            throws IOException {
        Path file = h.dir().resolve(job + ".yaml");
        Files.writeString(file, "source: {source_type: kafka, kafka_server: \"" + broker.servers()
                + "\", db_name: stream, consumer_group_id: g-" + job + "}\n"
                + "destination:\n" + h.destinationYaml("warehouse", 0, "dw")
                + "topics:\n  - topic_name: " + topic + "\n    cron: self-managed\n    batch_size: 4\n" + topicKeys
                + (redis ? "redis: {url: \"" + REDIS_URL + "\"}\n" : ""));
        return file;
    }

    private static List<String[]> orders(int from, int to, String keyPrefix) {
        List<String[]> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(new String[] {keyPrefix == null ? null : keyPrefix + i, "{\"orderId\": " + i
                    + ", \"region\": \"" + (i % 2 == 0 ? "eu" : "us") + "\", \"amount\": " + i + ".25}"});
        }
        return out;
    }

    @Test
    void getTableNameSpreadsRecordsOverTablesWithRenamedColumns() throws IOException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        String job = "fan" + unique();
        String topic = "shop.orders." + job;
        broker.createTopic(topic, 2);
        broker.send(topic, 0, orders(1, 6, null));
        broker.send(topic, 1, orders(7, 9, null));
        Path m = mapping(h, job, topic, "    fields: {amount: float}\n    col_rename: {orderId: order_id}\n"
                + "    get_table_name: io.caravan.it.ByRegion\n", false);

        h.runOk(m);

        String dst = h.destinationDb(0);
        assertThat(h.rows(dst, "SELECT order_id || ':' || amount FROM dw.orders_eu ORDER BY order_id::int"))
                .containsExactly("2:2.25", "4:4.25", "6:6.25", "8:8.25");
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders_us")).isEqualTo(5);
        assertThat(h.count(dst, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'dw'"
                + " AND column_name = 'orderId'")).as("renamed").isZero();
        assertThat(broker.committed("g-" + job, topic)).isEqualTo(Map.of(0, 6L, 1, 3L));

        broker.send(topic, 1, orders(10, 10, null));
        h.runOk(m);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders_eu")).as("only the new record").isEqualTo(5);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.orders_us")).isEqualTo(5);
    }

    @Test
    void twoTopicsOfOneJobShareTheConsumerGroup() throws IOException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        String job = "two" + unique();
        broker.createTopic("a-" + job, 1);
        broker.createTopic("b-" + job, 1);
        broker.send("a-" + job, 0, orders(1, 9, null));
        broker.send("b-" + job, 0, orders(1, 5, null));
        Path m = mapping(h, job, "a-" + job, "  - {topic_name: b-" + job + ", cron: self-managed, batch_size: 2}\n",
                false);

        h.runOk(m);

        String dst = h.destinationDb(0);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.a_" + job)).isEqualTo(9);
        assertThat(h.count(dst, "SELECT count(*) FROM dw.b_" + job)).isEqualTo(5);
        assertThat(broker.committed("g-" + job, "a-" + job)).isEqualTo(Map.of(0, 9L));
        assertThat(broker.committed("g-" + job, "b-" + job)).isEqualTo(Map.of(0, 5L));
    }

    @Test
    void killedMidBatchThenRunAgainWritesEveryRecordOnceWithoutRedis() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        String job = "kill" + unique();
        String topic = "events-" + job;
        String table = "dw." + "events_" + job;
        broker.createTopic(topic, 1);
        broker.send(topic, 0, orders(1, 10, null));
        Path m = mapping(h, job, topic, "", false);
        String dst = h.destinationDb(0);

        runAndKill(h, m, () -> count(h, dst, table) >= 8
                && broker.committed("g-" + job, topic).equals(Map.of(0, 8L)));
        assertThat(count(h, dst, table)).as("two batches written, two records open").isEqualTo(8);

        broker.send(topic, 0, orders(11, 13, null));
        h.runOk(m);
        assertThat(h.count(dst, "SELECT count(*) FROM " + table)).isEqualTo(13);
        assertThat(h.count(dst, "SELECT count(DISTINCT \"orderId\") FROM " + table)).isEqualTo(13);
        assertThat(broker.committed("g-" + job, topic)).isEqualTo(Map.of(0, 13L));
    }

    @Test
    void killedMidBatchThenRunAgainResumesTheOpenBatchFromRedis() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        String job = "redis" + unique();
        String topic = "events-" + job;
        String table = "dw." + "events_" + job;
        String redisKey = "caravan:kafka:" + job + ":" + topic;
        broker.createTopic(topic, 1);
        broker.send(topic, 0, orders(1, 10, "k"));
        broker.send(topic, 0, orders(1, 3, "k"));
        Path m = mapping(h, job, topic, "    mode: syncing\n", true);
        String dst = h.destinationDb(0);

        try (Jedis redis = new Jedis(java.net.URI.create(REDIS_URL))) {
            runAndKill(h, m, () -> count(h, dst, table) >= 10 && redis.llen(redisKey) == 1
                    && broker.committed("g-" + job, topic).equals(Map.of(0, 13L)));
            assertThat(broker.committed("g-" + job, topic)).as("offsets committed once Redis held the records")
                    .isEqualTo(Map.of(0, 13L));
            assertThat(redis.lrange(redisKey, 0, -1)).singleElement().asString().contains("\"o\":12");

            h.runOk(m);
            assertThat(redis.exists(redisKey)).as("the open batch was written and dropped").isFalse();
        }
        assertThat(h.count(dst, "SELECT count(*) FROM " + table)).as("one row per record key").isEqualTo(10);
        assertThat(h.rows(dst, "SELECT _key FROM " + table + " ORDER BY _key")).hasSize(10).doesNotHaveDuplicates();
    }

    private static long count(PipelineHarness h, String db, String table) {
        try {
            return h.count(db, "SELECT count(*) FROM " + table);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Starts {@code caravan run} in another JVM whose quiet period is 30 s, so that its open batch waits, and kills
     * it with SIGKILL once {@code when} holds.
     */
    private static void runAndKill(PipelineHarness h, Path mapping, BooleanSupplier when) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dcaravan.kafka.quiet-ms=30000", "-cp",
                System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli", "run", mapping.toString(),
                "--state-dir", h.dir().resolve(".caravan").toString(), "--progress-seconds", "0")
                .redirectErrorStream(true)
                .redirectOutput(new File(h.dir().resolve("killed-run.log").toString()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!when.getAsBoolean()) {
                assertThat(p.isAlive()).as("the run ended before it could be killed: "
                        + Files.readString(h.dir().resolve("killed-run.log"))).isTrue();
                assertThat(System.nanoTime()).as("the run made no progress within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }
}
