package io.caravan.source.kafka;

import io.caravan.batch.Batch;
import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.source.BatchStream;
import io.caravan.state.JdbcCursorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka source's batches read straight from its stream against an in-process broker, committing each batch's
 * cursor as the route's bookmark step does: batch_size batches, the quiet-period flush, Kafka offsets that follow
 * the committed cursor only, fields casts and col_rename.
 */
class KafkaBatchStreamIT {

    private final KafkaBroker broker = KafkaBroker.get();

    @TempDir
    Path dir;

    private JobMapping mapping(String topic, String group, String extra) throws IOException {
        Path file = dir.resolve("stream.yaml");
        Files.writeString(file, "source: {source_type: kafka, kafka_server: \"" + broker.servers()
                + "\", db_name: s, consumer_group_id: " + group + "}\n"
                + "destination:\n  dw: {destination_type: pgsql, url: localhost, db_name: dw}\n"
                + "topics:\n  - topic_name: " + topic + "\n    cron: self-managed\n    batch_size: 3\n" + extra);
        return MappingLoader.load(file);
    }

    @Test
    void batchesOfBatchSizeThenTheRestAfterAQuietPeriodWithOffsetsCommittedAfterTheCursor() throws IOException {
        String topic = "orders." + UUID.randomUUID().toString().substring(0, 8);
        String group = "g-" + topic;
        broker.createTopic(topic, 1);
        List<String[]> records = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            records.add(new String[] {"k" + i, "{\"orderId\": " + i + ", \"amount\": \"" + i + ".5\", \"n\": \""
                    + (i == 7 ? "seven" : String.valueOf(i)) + "\", \"at\": \"2024-05-01T10:00:0" + i + "+02:00\","
                    + " \"tags\": [\"a\", \"b\"], \"ok\": \"yes\"}"});
        }
        broker.send(topic, 0, records);
        JobMapping m = mapping(topic, group, "    fields: {amount: float, n: int, at: datetime, ok: bool}\n"
                + "    col_rename: {orderId: order_id}\n");

        try (JdbcCursorStore store = JdbcCursorStore.openEmbedded(dir.resolve(".caravan"));
             TableRun run = new TableRun(m, m.tables().get(0), store);
             BatchStream batches = new KafkaSource(m, m.tables().get(0)).read(run)) {
            Batch b1 = batches.next();
            assertThat(b1.rowCount()).isEqualTo(3);
            assertThat(b1.last()).isFalse();
            assertThat(b1.parts().get(0).table()).isEqualTo(topic.replace('.', '_'));
            assertThat(broker.committed(group, topic)).as("nothing written yet, nothing committed").isEmpty();
            commit(run, b1);

            Batch b2 = batches.next();
            assertThat(b2.rowCount()).isEqualTo(3);
            assertThat(broker.committed(group, topic)).as("the first batch's offsets only")
                    .isEqualTo(Map.of(0, 3L));
            commit(run, b2);

            long start = System.nanoTime();
            Batch b3 = batches.next();
            double waited = (System.nanoTime() - start) / 1e9;
            assertThat(b3.last()).isTrue();
            assertThat(b3.rowCount()).isEqualTo(1);
            assertThat(waited).as("flushed after the quiet period").isGreaterThanOrEqualTo(1.5).isLessThan(10);
            assertThat(batches.hasNext()).isFalse();
            commit(run, b3);

            assertThat(run.shape().columns()).extracting(Column::name)
                    .containsExactly("_message_id", "order_id", "amount", "n", "at", "tags", "ok");
            assertThat(run.shape().columns()).extracting(Column::sqlType).containsExactly("text", "text",
                    "double precision", "bigint", "timestamp with time zone", "text", "boolean");
            assertThat(run.shape().primaryKey()).containsExactly("_message_id");
            Map<String, Object> last = ((RowData.Records) b3.parts().get(0).rows()).records().get(0);
            assertThat(last).containsEntry("_message_id", topic + "-0-6").containsEntry("order_id", "7")
                    .containsEntry("amount", 7.5).containsEntry("n", 0L).containsEntry("ok", true)
                    .containsEntry("tags", "[\"a\",\"b\"]");
            assertThat(last.get("at").toString()).isEqualTo("2024-05-01T08:00:07Z");
            assertThat(run.castFallbacks()).as("'seven' is no int").isEqualTo(Map.of("n", 1L));
        }
        assertThat(broker.committed(group, topic)).as("all offsets once the run closed").isEqualTo(Map.of(0, 7L));
    }

    /** What the route's bookmark step does once every destination wrote the batch. */
    private static void commit(TableRun run, Batch b) {
        run.cursorStore().commit(run.job(), run.table().tableName(), b.cursorAfter());
    }
}
