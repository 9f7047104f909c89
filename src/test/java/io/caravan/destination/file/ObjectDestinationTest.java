package io.caravan.destination.file;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.KeyType;
import io.caravan.mapping.Lag;
import io.caravan.mapping.Mode;
import io.caravan.mapping.PartitionFormat;
import io.caravan.mapping.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.caravan.destination.file.ObjectRuns.batch;
import static io.caravan.destination.file.ObjectRuns.files;
import static io.caravan.destination.file.ObjectRuns.order;
import static io.caravan.destination.file.ObjectRuns.readRows;
import static io.caravan.destination.file.ObjectRuns.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file destination on a local folder: layout, modes, replays (formats come from io.caravan.format). */
class ObjectDestinationTest {

    @TempDir
    Path dir;

    private DestinationSpec.FileFormat format = DestinationSpec.FileFormat.JSONL;

    private Destination open(TableRun run) {
        return ObjectDestination.file(run, ObjectRuns.fileSpec(dir, format, "_lake"));
    }

    private String ext() {
        return "." + format.wireValue();
    }

    /** @return the files expected under the folder, with the DDL when the format is Parquet, sorted */
    private List<String> expected(String... files) {
        List<String> out = new java.util.ArrayList<>(List.of(files));
        if (format == DestinationSpec.FileFormat.PARQUET) {
            out.add("orders_lake/_athena.sql");
        }
        out.sort(null);
        return out;
    }

    private List<Path> data() throws Exception {
        return files(dir, ext()).stream().map(dir::resolve).toList();
    }

    @ParameterizedTest
    @EnumSource(DestinationSpec.FileFormat.class)
    void loggingWritesAnObjectPerBatchAndMonthAndAReplayOverwritesIt(DestinationSpec.FileFormat f) throws Exception {
        format = f;
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        var spec = ObjectRuns.table(Mode.LOGGING, "created_at");
        // 3 is in May in UTC
        var b1 = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", "2024-05-31T23:59:59.999999Z"),
                order(3, "new", "2024-06-01T01:00:00+02:00"));
        var b2 = List.of(order(4, "new", null), order(5, "new", "2024-05-31T23:30:00-01:00"));

        // a run writes the first batch and dies before its cursor is committed
        TableRun dead = ObjectRuns.run(spec, cursors);
        try (Destination d = open(dead)) {
            d.write(batch(dead, 1, false, b1));
        }
        List<String> afterDeath = files(dir, ext());
        assertThat(afterDeath).singleElement().asString()
                .matches("orders_lake/year=2024/month=05/part-[0-9a-f]{16}\\." + format.wireValue());

        TableRun rerun = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(rerun, this::open, List.of(batch(rerun, 1, false, b1), batch(rerun, 2, true, b2)));

        List<String> names = files(dir, ext());
        assertThat(names).hasSize(3).containsAll(afterDeath);
        assertThat(names).anyMatch(n -> n.matches("orders_lake/year=2024/month=06/part-[0-9a-f]{16}\\." + format.wireValue()));
        assertThat(names).anyMatch(n -> n.matches("orders_lake/year=__HIVE_DEFAULT_PARTITION__/"
                + "month=__HIVE_DEFAULT_PARTITION__/part-[0-9a-f]{16}\\." + format.wireValue()));
        // month 05 holds the dead run's object (overwritten by the rerun's batch 1) and no second one
        assertThat(names.stream().filter(n -> n.contains("month=05/"))).hasSize(1);
        assertThat(names.stream().filter(n -> n.contains("month=06/"))).hasSize(1);

        Map<Long, List<String>> rows = readRows(RowFormat.of(format), data());
        assertThat(rows).hasSize(5);
        for (var r : List.of(b1.get(0), b1.get(1), b1.get(2), b2.get(0), b2.get(1))) {
            assertThat(rows.get((Long) r.get("id"))).isEqualTo(text(r));
        }
        assertThat(rerun.stats("lake").rowsWritten()).isEqualTo(5);
        if (format == DestinationSpec.FileFormat.PARQUET) {
            assertThat(Files.readString(dir.resolve("orders_lake/_athena.sql")))
                    .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `orders_lake`")
                    .contains("LOCATION '" + dir.toUri() + "orders_lake/'");
            assertThat(rerun.stats("lake").notes()).singleElement().asString().startsWith("CREATE EXTERNAL TABLE");
        } else {
            assertThat(dir.resolve("orders_lake/_athena.sql")).doesNotExist();
            assertThat(rerun.stats("lake").notes()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(DestinationSpec.FileFormat.class)
    void syncingKeepsEachKeyOnceAndRewritesOnlyObjectsHoldingTheBatchKeys(DestinationSpec.FileFormat f) throws Exception {
        format = f;
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        var spec = ObjectRuns.table(Mode.SYNCING, "created_at");
        Map<Long, Map<String, Object>> expected = new HashMap<>();
        var b1 = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", "2024-05-02T00:00:00Z"),
                order(3, "new", "2024-05-03T00:00:00Z"));
        var b2 = List.of(order(4, "new", "2024-05-04T00:00:00Z"), order(5, "new", "2024-05-05T00:00:00Z"),
                order(6, "new", "2024-05-06T00:00:00Z"));
        TableRun first = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(first, this::open, List.of(batch(first, 1, false, b1), batch(first, 2, true, b2)));
        b1.forEach(r -> expected.put((Long) r.get("id"), r));
        b2.forEach(r -> expected.put((Long) r.get("id"), r));
        assertThat(readRows(RowFormat.of(format), data())).hasSize(6);

        // 2 moves to June, 5 changes in place
        var updates = List.of(order(2, "paid", "2024-06-02T00:00:00Z"), order(5, "paid", "2024-05-05T00:00:00Z"));
        TableRun second = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(second, this::open, List.of(batch(second, 1, true, updates)));
        updates.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);
        assertThat(files(dir, ext())).filteredOn(n -> n.contains("month=06/")).hasSize(1);

        // 6 changes: only the object holding 4 and 6 is rewritten
        Map<String, Object> keysBefore = fileKeys();
        var third = List.of(order(6, "shipped", "2024-05-06T00:00:00Z"));
        TableRun run3 = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(run3, this::open, List.of(batch(run3, 1, true, third)));
        third.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);
        Map<String, Object> keysAfter = fileKeys();
        List<String> rewritten = keysBefore.keySet().stream()
                .filter(k -> !keysBefore.get(k).equals(keysAfter.get(k))).toList();
        assertThat(rewritten).as("objects rewritten for key 6").hasSize(1);
        assertThat(readRows(RowFormat.of(format), List.of(dir.resolve(rewritten.get(0))))).containsOnlyKeys(4L);
        assertThat(dir.resolve("orders_lake/" + KeyRanges.NAME)).exists();
    }

    /**
     * With buffer_updation_lag each run re-reads a window that moves with the clock, and a run that reads nothing
     * new commits the cursor it started from: the next run starts from that cursor again, so its first batch gets
     * the same object name as the previous run's first batch while holding fewer rows. The rows it does not hold
     * (left the window) must stay.
     */
    @ParameterizedTest
    @EnumSource(DestinationSpec.FileFormat.class)
    void syncingKeepsRowsOfAnEarlierObjectOfTheSameNameThatTheBatchDoesNotHold(DestinationSpec.FileFormat f)
            throws Exception {
        format = f;
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        var spec = ObjectRuns.table(Mode.SYNCING, null);
        Map<Long, Map<String, Object>> expected = new HashMap<>();
        var all = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", "2024-05-02T00:00:00Z"),
                order(3, "new", "2024-05-03T00:00:00Z"));
        TableRun first = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(first, this::open, List.of(batch(first, 1, true, all)));
        all.forEach(r -> expected.put((Long) r.get("id"), r));

        // the window holds 2 and 3: the run ends at 3, the cursor it started from
        var window = List.of(order(2, "paid", "2024-05-02T00:00:00Z"), order(3, "paid", "2024-05-03T00:00:00Z"));
        TableRun second = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(second, this::open, List.of(batch(second, 1, true, window)));
        window.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);

        // the window moved past 2: the run starts from the same cursor and reads 3 only
        var moved = List.of(order(3, "shipped", "2024-05-03T00:00:00Z"));
        TableRun third = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(third, this::open, List.of(batch(third, 1, true, moved)));
        moved.forEach(r -> expected.put((Long) r.get("id"), r));
        assertRows(expected);
    }

    private void assertRows(Map<Long, Map<String, Object>> expected) throws Exception {
        Map<Long, List<String>> rows = readRows(RowFormat.of(format), data());
        assertThat(rows).hasSize(expected.size());
        expected.forEach((id, r) -> assertThat(rows.get(id)).as("id " + id).isEqualTo(text(r)));
    }

    /** @return data file to its file key (inode): a rewrite renames a new file over it, which changes the key */
    private Map<String, Object> fileKeys() throws Exception {
        Map<String, Object> out = new HashMap<>();
        for (String f : files(dir, ext())) {
            out.put(f, Files.readAttributes(dir.resolve(f), BasicFileAttributes.class).fileKey());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DestinationSpec.FileFormat.class)
    void dumpingWritesASnapshotPerRunMarkedBySuccessAndRemovesIncompleteOnes(DestinationSpec.FileFormat f) throws Exception {
        format = f;
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        var spec = ObjectRuns.table(Mode.DUMPING, null);
        var rows = List.of(order(1, "new", "2024-05-01T00:00:00Z"), order(2, "new", null));
        TableRun first = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(first, this::open, List.of(batch(first, 1, false, rows.subList(0, 1)),
                batch(first, 2, true, rows.subList(1, 2))));
        String s1 = "orders_lake/migration_snapshot_date=" + ObjectDestination.SNAPSHOT_FORMAT.format(first.started());
        assertThat(files(dir, "")).isEqualTo(expected(s1 + "/_SUCCESS",
                s1 + "/part-00001" + ext(), s1 + "/part-00002" + ext()));
        if (format == DestinationSpec.FileFormat.PARQUET) {
            assertThat(Files.readString(dir.resolve("orders_lake/_athena.sql")))
                    .contains("PARTITIONED BY (`migration_snapshot_date` string)");
        }

        Thread.sleep(1100);
        TableRun dead = ObjectRuns.run(spec, cursors);
        try (Destination d = open(dead)) {
            d.write(batch(dead, 1, false, rows));
        }
        String s2 = "orders_lake/migration_snapshot_date=" + ObjectDestination.SNAPSHOT_FORMAT.format(dead.started());
        assertThat(files(dir, ext())).contains(s2 + "/part-00001" + ext());

        Thread.sleep(1100);
        TableRun third = ObjectRuns.run(spec, cursors);
        ObjectRuns.runAll(third, this::open, List.of(batch(third, 1, true, rows)));
        String s3 = "orders_lake/migration_snapshot_date=" + ObjectDestination.SNAPSHOT_FORMAT.format(third.started());
        assertThat(files(dir, "")).isEqualTo(expected(s1 + "/_SUCCESS", s1 + "/part-00001" + ext(),
                s1 + "/part-00002" + ext(), s3 + "/_SUCCESS", s3 + "/part-00001" + ext()));
        assertThat(dir.resolve(s2)).doesNotExist();
        assertThat(readRows(RowFormat.of(format), List.of(dir.resolve(s3 + "/part-00001" + ext())))).hasSize(2);
    }

    /**
     * Two source tables of one job whose get_table_name routes rows into one table folder run at once: a dump must
     * not share its folder, or the runs overwrite each other's objects (same second, same snapshot folder, same
     * batch numbers) or delete each other's unfinished snapshot.
     */
    @Test
    void aDumpRefusesATableFolderThatAnotherSourceTableWritesAtTheSameTime() throws Exception {
        ObjectRuns.Cursors cursors = new ObjectRuns.Cursors();
        TableSpec orders = ObjectRuns.table(Mode.DUMPING, null);
        TableSpec returns = new TableSpec("returns", TableSpec.SELF_MANAGED, Mode.DUMPING, 1000, null, false, "id",
                KeyType.INT, null, PartitionFormat.DATETIME, Lag.NONE, Lag.NONE, true, null, null);
        TableRun a = ObjectRuns.run(orders, cursors);
        TableRun b = ObjectRuns.run(returns, cursors);
        try (Destination da = open(a); Destination db = open(b)) {
            da.write(routed(a, 1, false, List.of(order(1, "new", null))));
            assertThatThrownBy(() -> db.write(routed(b, 1, false, List.of(order(2, "new", null)))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table returns, destination lake: table folder " + dir.toUri()
                            + "merged_lake/ is written by job shop, table orders, destination lake at the same time");
            da.write(routed(a, 2, true, List.of(order(3, "new", null))));
        }
        List<String> snapshot = files(dir, ext());
        assertThat(readRows(RowFormat.of(format), data())).containsOnlyKeys(1L, 3L);
        assertThat(snapshot).hasSize(2);

        // once the dump is closed, the folder is free again
        TableRun c = ObjectRuns.run(returns, cursors);
        try (Destination dc = open(c)) {
            dc.write(routed(c, 1, true, List.of(order(2, "new", null))));
        }
    }

    /** @return a batch of orders routed to table {@code merged} (as get_table_name does) */
    private static Batch routed(TableRun run, int sequence, boolean last, List<Map<String, Object>> rows) {
        return new Batch(run, sequence, last, null, true,
                List.of(new BatchPart("merged", new RowData.Records(new java.util.ArrayList<>(rows)))));
    }

    @Test
    void anEmptyDumpIsAnEmptyCompleteSnapshot() throws Exception {
        TableRun run = ObjectRuns.run(ObjectRuns.table(Mode.DUMPING, null), new ObjectRuns.Cursors());
        ObjectRuns.runAll(run, this::open, List.of(batch(run, 1, true, List.of())));
        assertThat(files(dir, "")).isEqualTo(expected("orders_lake/migration_snapshot_date="
                + ObjectDestination.SNAPSHOT_FORMAT.format(run.started()) + "/_SUCCESS"));
    }

    @Test
    void mirroringIsRefusedSuggestingSyncing() {
        TableRun run = ObjectRuns.run(ObjectRuns.table(Mode.MIRRORING, null), new ObjectRuns.Cursors());
        try (Destination d = open(run)) {
            assertThatThrownBy(() -> d.write(batch(run, 1, true, List.of(order(1, "new", null)))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table orders, destination lake: mode mirroring is not supported")
                    .hasMessageContaining("use mode syncing");
        }
    }

    @Test
    void aFailedPutNamesJobTableDestinationAndObject() throws Exception {
        Files.writeString(dir.resolve("orders_lake"), "a file where the table folder goes");
        TableRun run = ObjectRuns.run(ObjectRuns.table(Mode.LOGGING, null), new ObjectRuns.Cursors());
        try (Destination d = open(run)) {
            assertThatThrownBy(() -> d.write(batch(run, 1, true, List.of(order(1, "new", null)))))
                    .isInstanceOf(DestinationException.class)
                    .hasMessageStartingWith("job shop, table orders, destination lake, object " + dir.toUri()
                            + "orders_lake/part-");
        }
    }

    @Test
    void jsonlFoldersGetNoAthenaDdl() throws Exception {
        TableRun run = ObjectRuns.run(ObjectRuns.table(Mode.LOGGING, null), new ObjectRuns.Cursors());
        ObjectRuns.runAll(run, r -> ObjectDestination.file(r, ObjectRuns.fileSpec(dir,
                DestinationSpec.FileFormat.JSONL, "")), List.of(batch(run, 1, true, List.of(order(1, "new", null)))));
        assertThat(files(dir, "")).singleElement().asString().matches("orders/part-[0-9a-f]{16}\\.jsonl");
        assertThat(run.stats("lake").notes()).isEmpty();
    }
}
