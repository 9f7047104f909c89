package io.caravan.destination.redshift;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.DestinationException;
import io.caravan.destination.file.ObjectStore;
import io.caravan.destination.s3.S3Store;
import io.caravan.format.RowFormat;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Secret;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * S3 staging against S3Mock: each batch is written to the bucket as Parquet under the staging prefix and removed once
 * the batch's transaction ended, committed or not. PostgreSQL has no COPY from S3, so the test's {@link
 * S3StageLoader.Copy} does what Redshift's does: reads the staged object from the bucket and loads its rows into the
 * staging table; the rows in the target have then travelled through the Parquet object.
 */
class RedshiftS3StagingIT {

    private static final String BUCKET = "stage-bucket";
    private static final RowFormat FORMAT = RowFormat.of(DestinationSpec.FileFormat.PARQUET);

    @RegisterExtension
    static final S3MockExtension S3 = S3MockExtension.builder().withInitialBuckets(BUCKET)
            .withSecureConnection(false).silent().build();

    private static final TableShape SHAPE = new TableShape(List.of(
            new Column("id", "bigint", 20, true),
            new Column("token", "uuid", 2950, false),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("updated_at", "timestamp with time zone", 1184, false)), List.of("id"));

    @TempDir
    Path dir;

    private final List<String> copied = new ArrayList<>();
    private final List<List<String>> presentAtCopy = new ArrayList<>();

    private DestinationSpec.S3Location location() {
        return new DestinationSpec.S3Location(BUCKET, "http://127.0.0.1:" + S3.getHttpPort(), null,
                new Secret("caravan"), new Secret("caravan-secret"));
    }

    /** What Redshift's COPY does, on PostgreSQL: reads the staged object and loads its rows. */
    private void copy(java.sql.Connection c, String stage, TableShape shape, ObjectStore store, String key)
            throws java.sql.SQLException {
        try {
            presentAtCopy.add(store.list("caravan-staging/").stream().map(ObjectStore.StoredObject::key).toList());
            Path file = dir.resolve("copied-" + copied.size() + "." + FORMAT.extension());
            assertThat(store.get(key, file)).isTrue();
            InsertStageLoader.insert(c, stage, shape, FORMAT.read(shape, file));
            copied.add(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> row(long id, String amount) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("token", UUID.nameUUIDFromBytes(new byte[] {(byte) id}));
        r.put("amount", new BigDecimal(amount));
        r.put("updated_at", OffsetDateTime.of(2026, 5, 1, 8, 0, 0, 123_456_000, ZoneOffset.UTC));
        return r;
    }

    private static Batch batch(TableRun run, int sequence, boolean last, List<Map<String, Object>> rows) {
        return new Batch(run, sequence, last, null, true, List.of(new BatchPart("orders",
                new RowData.Records(new ArrayList<>(rows)))));
    }

    @Test
    void batchesTravelAsParquetObjectsThatAreRemovedAfterTheMerge() throws IOException {
        PipelineHarness h = PipelineHarness.orders(dir, "syncing", "    bookmark: updated_at\n");
        JobMapping m = MappingLoader.load(dir.resolve("shop.yaml"));
        TableRun run = new TableRun(m, m.tables().get(0), null);
        run.begin(SHAPE, "2026-11-21 22:00:00+00", null);
        PgServer pg = PgServer.get();
        DestinationSpec spec = new DestinationSpec("lake", "redshift", pg.jdbcUrl(h.destinationDb(0)),
                h.destinationDb(0), pg.user(), pg.password().isEmpty() ? Secret.NONE : new Secret(pg.password()),
                "dw", location(), "", null, null, "arn:aws:iam::123456789012:role/RedshiftCopy");
        try (S3Store check = S3Store.open(location());
             RedshiftDestination d = new RedshiftDestination(run, spec,
                     new S3StageLoader(S3Store.open(location()), FORMAT, this::copy))) {
            d.write(batch(run, 1, false, List.of(row(1, "1.10"), row(2, "2.20"))));
            d.write(batch(run, 2, false, List.of(row(2, "2.25"), row(3, "3.30"))));
            // a batch the database refuses after it was staged: its object goes all the same
            h.execute(h.destinationDb(0), "ALTER TABLE dw.orders ADD CONSTRAINT small CHECK (amount < 4)");
            assertThatThrownBy(() -> d.write(batch(run, 3, false, List.of(row(4, "4.40")))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table orders, destination lake: ");
            h.execute(h.destinationDb(0), "ALTER TABLE dw.orders DROP CONSTRAINT small");
            d.write(batch(run, 4, true, List.of(row(5, "5.50"))));

            String prefix = "caravan-staging/shop/" + run.id() + "/dw.orders/";
            String ext = "." + FORMAT.extension();
            assertThat(copied).containsExactly(prefix + "00000001" + ext, prefix + "00000002" + ext,
                    prefix + "00000003" + ext, prefix + "00000004" + ext);
            assertThat(presentAtCopy).containsExactly(List.of(copied.get(0)), List.of(copied.get(1)),
                    List.of(copied.get(2)), List.of(copied.get(3)));
            assertThat(check.list("caravan-staging/")).isEmpty();
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id, token, amount, updated_at FROM dw.orders ORDER BY id"))
                .containsExactly(
                        "1|" + UUID.nameUUIDFromBytes(new byte[] {1}) + "|1.10|2026-05-01 08:00:00.123456+00",
                        "2|" + UUID.nameUUIDFromBytes(new byte[] {2}) + "|2.25|2026-05-01 08:00:00.123456+00",
                        "3|" + UUID.nameUUIDFromBytes(new byte[] {3}) + "|3.30|2026-05-01 08:00:00.123456+00",
                        "5|" + UUID.nameUUIDFromBytes(new byte[] {5}) + "|5.50|2026-05-01 08:00:00.123456+00");
    }
}
