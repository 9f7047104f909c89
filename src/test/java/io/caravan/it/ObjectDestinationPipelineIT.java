package io.caravan.it;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.destination.file.ObjectRuns;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full runs ({@code caravan run}) of a job fanning out to pgsql, s3 (S3Mock) and file at once: every destination
 * equals the source after each run, each key once, and the run summary prints the Athena DDL.
 */
class ObjectDestinationPipelineIT {

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder()
            .withSecureConnection(false).silent().build();

    /** The shape of PipelineHarness's orders table. */
    private static final TableShape ORDERS = new TableShape(List.of(new Column("id", "bigint", 20, true),
            new Column("status", "text", 25, true), new Column("amount", "numeric(12,2)", 1700, false),
            new Column("updated_at", "timestamp with time zone", 1184, true)), List.of("id"));

    @TempDir
    Path dir;

    private final S3Client client = S3.createS3ClientV2();
    /** A bucket of this test's own: the tests of the class share one S3Mock. */
    private final String bucket = "lake-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    @org.junit.jupiter.api.BeforeEach
    void createBucket() {
        client.createBucket(b -> b.bucket(bucket));
    }

    private String objectYaml(Path lake, String format) {
        return objectYaml(bucket, lake, format);
    }

    private String objectYaml(String bucket, Path lake, String format) {
        return "  files:\n    destination_type: file\n    path: " + lake + "\n    format: " + format + "\n"
                + "  s3lake:\n    destination_type: s3\n    s3_bucket_name: " + bucket + "\n    s3_suffix: _v1\n"
                + "    s3_endpoint: http://127.0.0.1:" + S3.getHttpPort() + "\n    s3_region: eu-west-1\n"
                + "    aws_access_key_id: foo\n    aws_secret_access_key: bar\n";
    }

    @Test
    void syncingToPgsqlS3AndFileKeepsEveryDestinationEqualToTheSource() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n"
                + "    partition_col: updated_at\n    partition_col_format: datetime\n");
        Path lake = dir.resolve("lake");
        Path mapping = h.mappingWith("shop", "destination:\n" + h.destinationYaml("warehouse", 0, "dw")
                + objectYaml(lake, "parquet"), "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    batch_size: 40\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "    partition_col: updated_at\n    partition_col_format: datetime\n");

        PipelineHarness.Result first = h.runOk(mapping);
        assertThat(first.out()).containsPattern("shop\\s+orders\\s+s3lake\\s+succeeded\\s+250\\s+250\\s")
                .containsPattern("shop\\s+orders\\s+files\\s+succeeded\\s+250\\s+250\\s")
                .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `orders_v1`")
                .contains("LOCATION 's3://" + bucket + "/orders_v1/'")
                .contains("LOCATION '" + lake.toUri() + "orders/'");
        assertEqualToSource(h, lake);

        h.source("UPDATE orders SET status = 'paid', updated_at = now() WHERE id IN (10, 200)",
                "INSERT INTO orders VALUES (251, 'new', 9.99, now())");
        h.runOk(mapping);
        assertEqualToSource(h, lake);
        assertThat(s3Rows(DestinationSpec.FileFormat.PARQUET).get(10L).get(1)).isEqualTo("paid");
        assertThat(keys("orders_v1/_athena.sql")).hasSize(1);
        assertThat(lake.resolve("orders/_athena.sql")).exists();
    }

    @Test
    void dumpingToJsonlFilesWritesACompleteSnapshotPerRun() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "dumping", "");
        Path lake = dir.resolve("lake");
        Path mapping = h.mappingWith("shop", "destination:\n" + objectYaml(lake, "jsonl"),
                "  - table_name: orders\n    cron: self-managed\n    mode: dumping\n    batch_size: 40\n");
        h.runOk(mapping);
        Thread.sleep(1100);
        h.runOk(mapping);
        List<Path> snapshots;
        try (Stream<Path> s = Files.list(lake.resolve("orders"))) {
            snapshots = s.filter(p -> p.getFileName().toString().startsWith("migration_snapshot_date=")).sorted()
                    .toList();
        }
        assertThat(snapshots).hasSize(2);
        for (Path snap : snapshots) {
            assertThat(snap.resolve("_SUCCESS")).exists();
            List<Path> files = ObjectRuns.files(snap, ".jsonl").stream().map(snap::resolve).toList();
            assertThat(files).hasSize(7); // 250 rows in batches of 40
            assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.JSONL), files)).isEqualTo(sourceRows(h));
        }
        assertThat(keys("orders_v1/")).filteredOn(k -> k.endsWith("/_SUCCESS")).hasSize(2);
    }

    @Test
    void aFailingDestinationHoldsTheCursorAndTheRerunCompletesEveryDestinationWithoutDuplicates() throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "logging", "");
        Path lake = dir.resolve("lake");
        String late = "late-bucket";
        Path mapping = h.mappingWith("shop", "destination:\n" + h.destinationYaml("warehouse", 0, "dw")
                + objectYaml(late, lake, "parquet"), "  - table_name: orders\n    cron: self-managed\n"
                + "    mode: logging\n    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");

        // the bucket does not exist yet: the s3 destination fails the first batch, which warehouse and files wrote
        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.out() + failed.err()).contains("job shop, table orders, destination s3lake, object s3://"
                + late + "/orders_v1/").contains("NoSuchBucket");
        List<String> afterFailure = ObjectRuns.files(lake, ".parquet");
        assertThat(afterFailure).isNotEmpty();

        client.createBucket(b -> b.bucket(late));
        h.runOk(mapping);
        List<String> source = sourceRows(h);
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", "id, status, amount", "id")).isEqualTo(source);
        // the replayed batches overwrote the file objects of the failed run: no row is twice
        assertThat(ObjectRuns.files(lake, ".parquet")).containsAll(afterFailure);
        List<Path> files = ObjectRuns.files(lake, ".parquet").stream().map(lake::resolve).toList();
        assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.PARQUET), files)).isEqualTo(source);
        List<Path> objects = new ArrayList<>();
        for (String k : client.listObjectsV2Paginator(b -> b.bucket(late).prefix("orders_v1/")).contents().stream()
                .map(S3Object::key).filter(k -> k.endsWith(".parquet")).toList()) {
            Path f = dir.resolve("late-" + objects.size());
            client.getObject(b -> b.bucket(late).key(k), ResponseTransformer.toFile(f));
            objects.add(f);
        }
        assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.PARQUET), objects)).isEqualTo(source);
    }

    @Test
    void aDestinationFailingMidRunLeavesTheCursorWhereEveryDestinationCommittedAndTheRerunAddsNoDuplicates()
            throws Exception {
        PipelineHarness h = PipelineHarness.orders(dir, "logging", "");
        h.execute(h.destinationDb(0), "CREATE SCHEMA dw", "CREATE TABLE dw.orders (id bigint PRIMARY KEY,"
                + " status text NOT NULL, amount numeric(12,2), updated_at timestamptz NOT NULL,"
                + " CONSTRAINT refuse_130 CHECK (id <> 130))");
        Path lake = dir.resolve("lake");
        // files and s3lake write each batch before warehouse, which refuses batch 4 (ids 121..160)
        Path mapping = h.mappingWith("shop", "destination:\n" + objectYaml(lake, "parquet")
                + h.destinationYaml("warehouse", 0, "dw"), "  - table_name: orders\n    cron: self-managed\n"
                + "    mode: logging\n    batch_size: 40\n    primary_key: id\n    primary_key_datatype: int\n");

        PipelineHarness.Result failed = h.caravan(PipelineHarness.runArgs(mapping));
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out() + failed.err()).contains("job shop, table orders, destination warehouse")
                .contains("refuse_130");
        List<Path> files = ObjectRuns.files(lake, ".parquet").stream().map(lake::resolve).toList();
        assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.PARQUET), files)).hasSize(160);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(120);

        h.execute(h.destinationDb(0), "ALTER TABLE dw.orders DROP CONSTRAINT refuse_130");
        PipelineHarness.Result resumed = h.runOk(mapping);
        assertThat(resumed.out()).as("the cursor stayed after batch 3, the last one every destination committed")
                .containsPattern("shop\\s+orders\\s+files\\s+succeeded\\s+130\\s+130\\s")
                .containsPattern("shop\\s+orders\\s+s3lake\\s+succeeded\\s+130\\s+130\\s");
        List<String> source = sourceRows(h);
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", "id, status, amount", "id")).isEqualTo(source);
        files = ObjectRuns.files(lake, ".parquet").stream().map(lake::resolve).toList();
        assertThat(files).as("batch 4 replayed into the objects it wrote before").hasSize(7);
        assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.PARQUET), files)).isEqualTo(source);
        assertThat(text(s3Rows(DestinationSpec.FileFormat.PARQUET))).isEqualTo(source);
    }

    private void assertEqualToSource(PipelineHarness h, Path lake) throws Exception {
        List<String> source = sourceRows(h);
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", "id, status, amount", "id")).isEqualTo(source);
        List<Path> files = ObjectRuns.files(lake, ".parquet").stream().map(lake::resolve).toList();
        assertThat(rowsOf(RowFormat.of(DestinationSpec.FileFormat.PARQUET), files)).isEqualTo(source);
        assertThat(text(s3Rows(DestinationSpec.FileFormat.PARQUET))).isEqualTo(source);
    }

    private static List<String> sourceRows(PipelineHarness h) {
        return h.tableRows(h.sourceDb(), "orders", "id, status, amount", "id");
    }

    /** @return {@code id|status|amount} of every row, by id; fails when an id is twice */
    private static List<String> rowsOf(RowFormat format, List<Path> files) throws Exception {
        return text(ObjectRuns.readRows(format, ORDERS, files));
    }

    private static List<String> text(Map<Long, List<String>> rows) {
        return rows.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.join("|", e.getValue().subList(0, 3))).toList();
    }

    private Map<Long, List<String>> s3Rows(DestinationSpec.FileFormat format) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String k : keys("orders_v1/")) {
            if (k.endsWith("." + format.wireValue())) {
                Path f = dir.resolve("s3-" + files.size());
                Files.deleteIfExists(f);
                client.getObject(b -> b.bucket(bucket).key(k), ResponseTransformer.toFile(f));
                files.add(f);
            }
        }
        return ObjectRuns.readRows(RowFormat.of(format), ORDERS, files);
    }

    private List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }
}
