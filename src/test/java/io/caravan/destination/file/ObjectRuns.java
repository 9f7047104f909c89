package io.caravan.destination.file;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.KeyType;
import io.caravan.mapping.Lag;
import io.caravan.mapping.Mode;
import io.caravan.mapping.PartitionFormat;
import io.caravan.mapping.TableSpec;
import io.caravan.state.Cursor;
import io.caravan.state.CursorStore;
import io.caravan.state.TableState;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Builds runs and batches of an {@code orders(id bigint, status text, amount numeric(12,2), created_at timestamptz)}
 * table for object destination tests, and commits cursors as the framework does (after a batch is written).
 */
public final class ObjectRuns {

    /** The orders table's shape. */
    public static final TableShape SHAPE = new TableShape(List.of(
            new Column("id", "bigint", 20, true),
            new Column("status", "text", 25, false),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("created_at", "timestamp with time zone", 1184, false)), List.of("id"));

    /** Cursors by job and table, in memory: the cursor store's contract without a database. */
    public static final class Cursors implements CursorStore {
        private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();

        @Override
        public TableState load(String job, String table) {
            return new TableState(cursors.get(job + "." + table), null);
        }

        @Override
        public void commit(String job, String table, Cursor cursor) {
            cursors.put(job + "." + table, cursor);
        }

        @Override
        public void markSuccess(String job, String table, String ceiling) {
        }

        @Override
        public void reset(String job, String table) {
            cursors.remove(job + "." + table);
        }

        @Override
        public void close() {
        }
    }

    private ObjectRuns() {
    }

    /**
     * @param mode         the table's mode
     * @param partitionCol null or a column
     * @return the orders table of job shop
     */
    public static TableSpec table(Mode mode, String partitionCol) {
        return new TableSpec("orders", TableSpec.SELF_MANAGED, mode, 1000,
                mode.usesBookmark() ? "created_at" : null, false, "id", KeyType.INT, partitionCol,
                PartitionFormat.DATETIME, Lag.NONE, Lag.NONE, true, null, null);
    }

    /** @return a run of {@code table} that has begun (shape known) */
    public static TableRun run(TableSpec table, CursorStore cursors) {
        JobMapping job = new JobMapping("shop", Path.of("shop.yaml"), null, Map.of(), List.of(table), null, null);
        TableRun run = new TableRun(job, table, cursors);
        run.begin(SHAPE, "2024-06-01 00:00:00+00", null);
        return run;
    }

    /** @return a file destination spec on {@code folder} */
    public static DestinationSpec fileSpec(Path folder, DestinationSpec.FileFormat format, String suffix) {
        return new DestinationSpec("lake", "file", null, null, "", null, null, null, suffix, folder.toString(), format,
                null);
    }

    /**
     * @param id         key
     * @param status     text
     * @param createdAt  ISO-8601 instant, e.g. {@code 2024-05-03T10:00:00Z}; null for NULL
     * @return an order record
     */
    public static Map<String, Object> order(long id, String status, String createdAt) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("status", status);
        r.put("amount", new BigDecimal(id + ".50"));
        r.put("created_at", createdAt == null ? null : OffsetDateTime.parse(createdAt).withOffsetSameInstant(
                ZoneOffset.UTC));
        return r;
    }

    /**
     * @param run      the run
     * @param sequence batch sequence from 1
     * @param last     the run's last batch
     * @param rows     records
     * @return a durable batch of orders whose cursor after is the last row's id
     */
    public static Batch batch(TableRun run, int sequence, boolean last, List<Map<String, Object>> rows) {
        Cursor after = rows.isEmpty() ? null
                : Cursor.incremental(String.valueOf(rows.get(rows.size() - 1).get("created_at")),
                        String.valueOf(rows.get(rows.size() - 1).get("id")));
        return new Batch(run, sequence, last, after, true,
                List.of(new BatchPart("orders", new RowData.Records(new ArrayList<>(rows)))));
    }

    /** Writes batches as the framework does: write, then commit the cursor; closes the destination. */
    public static void runAll(TableRun run, Function<TableRun, io.caravan.destination.Destination> open,
                              List<Batch> batches) {
        try (io.caravan.destination.Destination d = open.apply(run)) {
            for (Batch b : batches) {
                d.write(b);
                if (b.cursorAfter() != null) {
                    run.cursorStore().commit(run.job(), run.table().tableName(), b.cursorAfter());
                }
            }
        }
    }

    /**
     * @param format the format of the files
     * @param files  data files
     * @return every row of the files as text (PgBinaryCodec.toText), by id
     */
    public static Map<Long, List<String>> readRows(RowFormat format, List<Path> files) throws Exception {
        return readRows(format, SHAPE, files);
    }

    /**
     * @param format the format of the files
     * @param shape  the columns of the files, the first being a numeric key
     * @param files  data files
     * @return every row of the files as text (PgBinaryCodec.toText), by key
     */
    public static Map<Long, List<String>> readRows(RowFormat format, TableShape shape, List<Path> files)
            throws Exception {
        Map<Long, List<String>> out = new HashMap<>();
        for (Path f : files) {
            for (Object[] row : format.read(shape, f)) {
                long id = ((Number) row[0]).longValue();
                List<String> text = new ArrayList<>();
                for (Object v : row) {
                    text.add(PgBinaryCodec.toText(v));
                }
                if (out.put(id, text) != null) {
                    throw new AssertionError("id " + id + " is in more than one row");
                }
            }
        }
        return out;
    }

    /** @return a record's values as text, as {@link #readRows} gives them */
    public static List<String> text(Map<String, Object> record) {
        List<String> text = new ArrayList<>();
        for (Object v : record.values()) {
            text.add(PgBinaryCodec.toText(v));
        }
        return text;
    }

    /** @return the regular files under {@code root} with names ending in {@code ext}, relative, sorted, '/' */
    public static List<String> files(Path root, String ext) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(ext)).sorted().toList();
        }
    }
}
