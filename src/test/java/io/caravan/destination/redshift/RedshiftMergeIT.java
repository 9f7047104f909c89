package io.caravan.destination.redshift;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Secret;
import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redshift destination's statements run on PostgreSQL, which accepts the same syntax for everything but
 * {@code COPY} from S3: {@link InsertStageLoader} fills the staging tables, and every other statement (DDL with
 * Redshift's types, staging tables, locks, delete-then-insert, anti-join, snapshot, key buckets) is exactly the one the
 * destination sends to Redshift. Every mode, replays included.
 */
class RedshiftMergeIT {

    private static final TableShape ORDERS = new TableShape(List.of(
            new Column("id", "bigint", 20, true),
            new Column("status", "text", 25, true),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("at", "time without time zone", 1083, false),
            new Column("doc", "jsonb", 3802, false),
            new Column("updated_at", "timestamp with time zone", 1184, false)), List.of("id"));
    private static final String COLUMNS = "id, status, amount, at, doc, updated_at";
    private static final String CEILING = "2026-11-21 22:00:00.123456+00";

    @TempDir
    Path dir;

    private PipelineHarness h;
    private InsertStageLoader loader;

    private JobMapping job(String mode) {
        h = PipelineHarness.orders(dir, mode, mode.equals("syncing") || mode.equals("mirroring")
                ? "    bookmark: updated_at\n" : "");
        return MappingLoader.load(dir.resolve("shop.yaml"));
    }

    private DestinationSpec spec() {
        PgServer pg = PgServer.get();
        return new DestinationSpec("lake", "redshift", pg.jdbcUrl(h.destinationDb(0)), h.destinationDb(0), pg.user(),
                pg.password().isEmpty() ? Secret.NONE : new Secret(pg.password()), "dw", null, "", null, null,
                "arn:aws:iam::123456789012:role/RedshiftCopy");
    }

    private TableRun run(JobMapping m, TableShape shape, KeySource keys) {
        TableRun run = new TableRun(m, m.tables().get(0), null);
        run.begin(shape, CEILING, keys);
        return run;
    }

    private RedshiftDestination destination(TableRun run) {
        loader = new InsertStageLoader();
        return new RedshiftDestination(run, spec(), loader);
    }

    private static Map<String, Object> order(long id, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("status", status);
        r.put("amount", new BigDecimal(id + ".50"));
        r.put("at", LocalTime.of(10, 30, 15, 250_000_000));
        r.put("doc", "{\"id\": " + id + "}");
        r.put("updated_at", OffsetDateTime.of(2026, 11, 1, 12, 0, 0, 0, ZoneOffset.UTC).plusSeconds(id));
        return r;
    }

    private static Batch batch(TableRun run, int sequence, boolean last, List<Map<String, Object>> rows) {
        return new Batch(run, sequence, last, null, true, List.of(new BatchPart("orders",
                new RowData.Records(new ArrayList<>(rows)))));
    }

    private static List<Map<String, Object>> orders(String status, long... ids) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long id : ids) {
            out.add(order(id, status));
        }
        return out;
    }

    private List<String> target() {
        return h.tableRows(h.destinationDb(0), "dw.orders", COLUMNS, "id");
    }

    @Test
    void syncingReplacesRowsByKeyAndAReplayAddsNoDuplicate() {
        TableRun run = run(job("syncing"), ORDERS, null);
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, false, orders("new", 1, 2, 3)));
            d.write(batch(run, 2, false, orders("paid", 2, 4)));
            d.write(batch(run, 2, false, orders("paid", 2, 4)));
            d.write(batch(run, 3, true, List.of()));
        }
        assertThat(target()).containsExactly(
                "1|new|1.50|10:30:15.25|{\"id\": 1}|2026-11-01 12:00:01+00",
                "2|paid|2.50|10:30:15.25|{\"id\": 2}|2026-11-01 12:00:02+00",
                "3|new|3.50|10:30:15.25|{\"id\": 3}|2026-11-01 12:00:03+00",
                "4|paid|4.50|10:30:15.25|{\"id\": 4}|2026-11-01 12:00:04+00");
        assertThat(run.stats("lake").rowsWritten()).isEqualTo(7);
        assertThat(h.columnTypes(h.destinationDb(0), "dw.orders", true)).containsExactly("id bigint NOT NULL",
                "status character varying(65535) NOT NULL", "amount numeric(12,2)", "at time without time zone",
                "doc character varying(65535)", "updated_at timestamp with time zone");
    }

    @Test
    void stagedObjectsAreCleanedUpAfterEveryBatchAndStagesDropped() {
        TableRun run = run(job("syncing"), ORDERS, null);
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, false, orders("new", 1)));
            assertThat(loader.removed).isEqualTo(loader.loaded).hasSize(1);
            assertThat(loader.loaded.get(0)).isEqualTo("caravan-staging/shop/" + run.id() + "/dw.orders/00000001");
            d.write(batch(run, 2, true, orders("new", 2)));
            assertThat(loader.removed).isEqualTo(loader.loaded).hasSize(2);
        }
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM pg_class WHERE relname LIKE 'caravan_stage%'"))
                .isZero();
    }

    @Test
    void loggingInsertsAbsentKeysOnlyAndNeverUpdates() {
        TableRun run = run(job("logging"), ORDERS, null);
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, false, orders("new", 1, 2)));
            d.write(batch(run, 1, false, orders("paid", 1, 2)));
            d.write(batch(run, 2, true, orders("paid", 2, 3)));
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id, status FROM dw.orders ORDER BY id"))
                .containsExactly("1|new", "2|new", "3|paid");
        assertThat(run.stats("lake").rowsWritten()).isEqualTo(3);
    }

    @Test
    void dumpingPublishesEachRunsSnapshotWithItsLastBatchOnly() {
        JobMapping m = job("dumping");
        TableRun first = run(m, ORDERS, null);
        try (RedshiftDestination d = destination(first)) {
            d.write(batch(first, 1, false, orders("new", 1, 2)));
            assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isZero();
            d.write(batch(first, 2, true, orders("new", 3)));
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id, migration_snapshot_date FROM dw.orders ORDER BY id"))
                .containsExactly("1|2026-11-21 22:00:00.123456+00", "2|2026-11-21 22:00:00.123456+00",
                        "3|2026-11-21 22:00:00.123456+00");
        TableRun dead = run(m, ORDERS, null);
        try (RedshiftDestination d = destination(dead)) {
            d.write(batch(dead, 1, false, orders("gone", 1, 2)));
        }
        TableRun second = new TableRun(m, m.tables().get(0), null);
        second.begin(ORDERS, "2026-11-22 22:00:00+00", null);
        try (RedshiftDestination d = destination(second)) {
            d.write(batch(second, 1, true, orders("paid", 1, 2, 3)));
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT migration_snapshot_date, count(*), min(status) FROM dw.orders"
                + " GROUP BY 1 ORDER BY 1")).containsExactly("2026-11-21 22:00:00.123456+00|3|new",
                "2026-11-22 22:00:00+00|3|paid");
    }

    @Test
    void mirroringDeletesTheRowsGoneAtTheSource() {
        JobMapping m = job("mirroring");
        h.source("DELETE FROM orders WHERE id > 6 OR id IN (2, 4)");
        TableRun run = run(m, ORDERS, new SourceKeys(h.sourceDb(), "orders"));
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, false, orders("new", 1, 2, 3, 4, 5, 6)));
            d.write(batch(run, 2, true, orders("paid", 6)));
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id, status FROM dw.orders ORDER BY id"))
                .containsExactly("1|new", "3|new", "5|new", "6|paid");
        assertThat(run.stats("lake").rowsDeleted()).isEqualTo(2);
    }

    @Test
    void mirroringHashesTextKeysAsTheSourceDoes() {
        JobMapping m = job("mirroring");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < ids.size(); i += 3) {
            values.append(values.length() == 0 ? "" : ", ").append("('").append(ids.get(i)).append("')");
        }
        h.source("CREATE TABLE tokens (id uuid PRIMARY KEY)", "INSERT INTO tokens VALUES " + values);
        TableShape shape = new TableShape(List.of(new Column("id", "uuid", 2950, true)), List.of("id"));
        TableRun run = run(m, shape, new SourceKeys(h.sourceDb(), "tokens"));
        List<Map<String, Object>> rows = new ArrayList<>();
        ids.forEach(id -> rows.add(new LinkedHashMap<>(Map.of("id", id))));
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, true, rows));
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id FROM dw.orders ORDER BY id"))
                .isEqualTo(h.rows(h.sourceDb(), "SELECT id::text FROM tokens ORDER BY id::text"));
        assertThat(run.stats("lake").rowsDeleted()).isEqualTo(200);
    }

    @Test
    void targetBucketsEqualTheSourcesForTheSameKeys() throws SQLException {
        job("syncing");
        TableRun run = run(MappingLoader.load(dir.resolve("shop.yaml")), ORDERS, null);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= 250; id++) {
            rows.add(order(id, "new"));
        }
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, true, rows));
        }
        Map<Integer, List<Long>> target = new HashMap<>();
        var sql = io.caravan.dialect.redshift.RedshiftDialect.INSTANCE;
        try (Connection c = PgServer.get().connect(h.destinationDb(0)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql.keyBuckets("dw.orders", sql.keyText(ORDERS.columns().get(0))))) {
            while (rs.next()) {
                target.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
        }
        assertThat(target).hasSize(new SourceKeys(h.sourceDb(), "orders").keyBuckets().size())
                .isEqualTo(new SourceKeys(h.sourceDb(), "orders").keyBuckets());
    }

    @Test
    void columnsAddedAtTheSourceAreAddedToTheTarget() {
        JobMapping m = job("syncing");
        TableShape narrow = new TableShape(ORDERS.columns().subList(0, 2), List.of("id"));
        TableRun first = run(m, narrow, null);
        try (RedshiftDestination d = destination(first)) {
            Map<String, Object> r = new LinkedHashMap<>(Map.of("id", 1L, "status", "new"));
            d.write(batch(first, 1, true, List.of(r)));
        }
        TableRun second = run(m, ORDERS, null);
        try (RedshiftDestination d = destination(second)) {
            d.write(batch(second, 1, true, orders("paid", 2)));
        }
        assertThat(target()).containsExactly("1|new|∅|∅|∅|∅",
                "2|paid|2.50|10:30:15.25|{\"id\": 2}|2026-11-01 12:00:02+00");
    }

    @Test
    void aFailedBatchCommitsNothingAndNamesJobTableAndDestination() {
        TableRun run = run(job("syncing"), ORDERS, null);
        Map<String, Object> bad = order(9, "new");
        bad.put("at", "not a time");
        try (RedshiftDestination d = destination(run)) {
            d.write(batch(run, 1, false, orders("new", 1)));
            assertThatThrownBy(() -> d.write(batch(run, 2, false, List.of(order(2, "new"), bad))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table orders, destination lake: ");
            assertThat(loader.removed).isEqualTo(loader.loaded);
        }
        assertThat(h.rows(h.destinationDb(0), "SELECT id FROM dw.orders")).containsExactly("1");
    }

    /** The source's keys as the PostgreSQL source computes them (PostgresDialect's bucket SQL). */
    private record SourceKeys(String db, String table) implements KeySource {
        @Override
        public Map<Integer, List<Long>> keyBuckets() {
            Map<Integer, List<Long>> out = new HashMap<>();
            try (Connection c = PgServer.get().connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(PostgresDialect.INSTANCE.keyBuckets(table, "\"id\""))) {
                while (rs.next()) {
                    out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }

        @Override
        public List<String> keysIn(Collection<Integer> buckets) {
            List<String> out = new ArrayList<>();
            try (Connection c = PgServer.get().connect(db);
                 PreparedStatement ps = c.prepareStatement(PostgresDialect.INSTANCE.keysInBuckets(table, "\"id\""))) {
                ps.setArray(1, c.createArrayOf("int4", buckets.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }
    }
}
