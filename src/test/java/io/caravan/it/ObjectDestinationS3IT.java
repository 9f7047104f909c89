package io.caravan.it;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.destination.file.ObjectDestination;
import io.caravan.destination.file.ObjectRuns;
import io.caravan.destination.s3.S3Destination;
import io.caravan.destination.s3.S3Store;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.Secret;
import io.caravan.mapping.TableSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.caravan.destination.file.ObjectRuns.batch;
import static io.caravan.destination.file.ObjectRuns.order;
import static io.caravan.destination.file.ObjectRuns.readRows;
import static io.caravan.destination.file.ObjectRuns.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The object destination against S3Mock (an S3 server in-process): keys, folders, content read back row by row,
 * replays, copy-on-write syncing and dumping snapshots.
 */
class ObjectDestinationS3IT {

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().withInitialBuckets("lake")
            .withSecureConnection(false).silent().build();

    /** What S3Destination always writes. */
    private static final DestinationSpec.FileFormat FORMAT = DestinationSpec.FileFormat.PARQUET;

    @TempDir
    Path dir;

    private final S3Client client = S3.createS3ClientV2();
    private String prefix;
    private int test;

    @BeforeEach
    void clean() {
        List<String> keys = keys("");
        if (!keys.isEmpty()) {
            client.deleteObjects(b -> b.bucket("lake").delete(d -> d.objects(keys.stream()
                    .map(k -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(k).build())
                    .toList())));
        }
        prefix = "t" + (++test);
    }

    private DestinationSpec.S3Location location(String bucket) {
        return new DestinationSpec.S3Location(bucket, "http://127.0.0.1:" + S3.getHttpPort(), null,
                new Secret("foo"), new Secret("bar"));
    }

    private Destination open(TableRun run) {
        DestinationSpec spec = new DestinationSpec("lake", "s3", null, null, "", null, null, location("lake"), "_s3",
                null, null, null);
        return S3Destination.open(run, spec);
    }

    private List<String> keys(String under) {
        return client.listObjectsV2Paginator(b -> b.bucket("lake").prefix(under)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** @return the data objects under {@code under}, downloaded */
    private List<Path> download(String under) throws Exception {
        List<Path> out = new ArrayList<>();
        for (String k : keys(under)) {
            if (k.endsWith("." + FORMAT.wireValue())) {
                Path f = dir.resolve("o" + out.size());
                Files.deleteIfExists(f);
                client.getObject(b -> b.bucket("lake").key(k), ResponseTransformer.toFile(f));
                out.add(f);
            }
        }
        return out;
    }

    private void assertRows(Map<Long, Map<String, Object>> expected) throws Exception {
        Map<Long, List<String>> rows = readRows(RowFormat.of(FORMAT), download("orders_s3/"));
        assertThat(rows).hasSize(expected.size());
        expected.forEach((id, r) -> assertThat(rows.get(id)).as("id " + id).isEqualTo(text(r)));
    }

    @Test
    void loggingWritesMonthFoldersAndAReplayedBatchOverwritesItsObjects() throws Exception {
        TableSpec spec = ObjectRuns.table(Mode.LOGGING, "created_at");
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        var rows = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", "2024-06-01T00:00:00Z"),
                order(3, "new", null));
        TableRun dead = ObjectRuns.run(spec, cursors);
        try (Destination d = open(dead)) {
            d.write(batch(dead, 1, false, rows));
        }
        List<String> first = keys("orders_s3/");
        Map<String, String> etags = etags();
        TableRun rerun = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(rerun, this::open, List.of(batch(rerun, 1, true, rows)));

        assertThat(keys("orders_s3/")).isEqualTo(first);
        assertThat(etags()).isEqualTo(etags);
        String ext = "\\." + FORMAT.wireValue();
        assertThat(first.stream().filter(k -> !k.startsWith("orders_s3/_"))).satisfiesExactly(
                k -> assertThat(k).matches("orders_s3/year=2024/month=05/part-[0-9a-f]{16}" + ext),
                k -> assertThat(k).matches("orders_s3/year=2024/month=06/part-[0-9a-f]{16}" + ext),
                k -> assertThat(k).matches("orders_s3/year=__HIVE_DEFAULT_PARTITION__/"
                        + "month=__HIVE_DEFAULT_PARTITION__/part-[0-9a-f]{16}" + ext));
        Map<Long, Map<String, Object>> expected = new HashMap<>();
        rows.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);
        if (FORMAT == DestinationSpec.FileFormat.PARQUET) {
            assertThat(keys("orders_s3/_athena.sql")).hasSize(1);
            assertThat(rerun.stats("lake").notes()).singleElement().asString()
                    .contains("LOCATION 's3://lake/orders_s3/'");
        }
    }

    private Map<String, String> etags() {
        Map<String, String> out = new HashMap<>();
        client.listObjectsV2Paginator(b -> b.bucket("lake").prefix("orders_s3/")).contents()
                .forEach(o -> out.put(o.key(), o.eTag()));
        return out;
    }

    @Test
    void syncingKeepsEachKeyOnceWithItsNewestValues() throws Exception {
        TableSpec spec = ObjectRuns.table(Mode.SYNCING, "created_at");
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        Map<Long, Map<String, Object>> expected = new HashMap<>();
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            all.add(order(i, "new", "2024-0" + (i % 3 + 4) + "-0" + i + "T00:00:00Z"));
        }
        TableRun first = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(first, this::open, List.of(batch(first, 1, false, all.subList(0, 3)),
                batch(first, 2, false, all.subList(3, 6)), batch(first, 3, true, all.subList(6, 9))));
        all.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);

        // updates, one moving from April to July, one to no month at all, across two batches
        var updates = List.of(order(3, "paid", "2024-07-03T00:00:00Z"), order(4, "paid", null),
                order(8, "paid", "2024-06-08T00:00:00Z"), order(1, "void", "2024-05-01T00:00:00Z"));
        TableRun second = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(second, this::open, List.of(batch(second, 1, false, updates.subList(0, 2)),
                batch(second, 2, true, updates.subList(2, 4))));
        updates.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);
        assertThat(keys("orders_s3/year=2024/month=07/")).hasSize(1);
        assertThat(keys("orders_s3/_caravan_keys.json")).hasSize(1);

        // the same run again: a replay changes nothing
        List<String> before = keys("orders_s3/");
        TableRun replay = ObjectRuns.run(spec, new ObjectRuns.Cursors());
        ObjectRuns.runAll(replay, this::open, List.of(batch(replay, 1, false, updates.subList(0, 2)),
                batch(replay, 2, true, updates.subList(2, 4))));
        assertRows(expected);
    }

    @Test
    void dumpingWritesSnapshotsMarkedBySuccess() throws Exception {
        TableSpec spec = ObjectRuns.table(Mode.DUMPING, "created_at");
        var rows = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", "2024-06-01T00:00:00Z"));
        TableRun run = ObjectRuns.run(spec, new ObjectRuns.Cursors());
        ObjectRuns.runAll(run, this::open, List.of(batch(run, 1, false, rows.subList(0, 1)),
                batch(run, 2, true, rows.subList(1, 2))));
        String snap = "orders_s3/migration_snapshot_date=" + ObjectDestination.SNAPSHOT_FORMAT.format(run.started());
        String ext = "." + FORMAT.wireValue();
        assertThat(keys(snap)).containsExactly(snap + "/_SUCCESS", snap + "/year=2024/month=05/part-00001" + ext,
                snap + "/year=2024/month=06/part-00002" + ext);
    }

    @Test
    void aMissingBucketIsReportedWithTheObject() {
        TableRun run = ObjectRuns.run(ObjectRuns.table(Mode.LOGGING, null), new ObjectRuns.Cursors());
        DestinationSpec spec = new DestinationSpec("lake", "s3", null, null, "", null, null, location("nobucket"), "",
                null, null, null);
        try (Destination d = new ObjectDestination(run, spec, S3Store.open(spec.s3()), RowFormat.of(FORMAT))) {
            assertThatThrownBy(() -> d.write(batch(run, 1, true, List.of(order(1, "new", null)))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table orders, destination lake, object s3://nobucket/orders/")
                    .hasMessageContaining("NoSuchBucket");
        }
    }
}
