package io.caravan.destination.file;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgRows;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.TableSpec;
import io.caravan.state.Cursor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The s3 and file destinations: each batch becomes files of one {@link RowFormat} put into an {@link ObjectStore}
 * (an S3 bucket, or a local folder), laid out as Hive, Athena and Spark read them (issue 3; DMS seed,
 * "Destination").
 *
 * <h2>Layout</h2>
 * For a batch part bound for table {@code t}, with the destination's suffix {@code s}:
 * <pre>
 * t s /                                             the table folder
 *     _athena.sql                                   CREATE EXTERNAL TABLE (Parquet only, see below)
 *     _caravan_keys.json                            key ranges of the objects (syncing only, see KeyRanges)
 *     [migration_snapshot_date=2024-05-01T10-00-00Z/] dumping only: one folder per run, named by its UTC start
 *         [year=2024/month=05/]                     with partition_col: the row's month (MonthPartitions)
 *             part-3f2a9c0d1e2b4a5c.parquet         one object per batch and folder
 *         [_SUCCESS]                                dumping only: the snapshot is complete
 * </pre>
 * Rows without a month (NULL or unreadable partition value) go to
 * {@code year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/}, Hive's convention.
 *
 * <h2>Object names and replays</h2>
 * Outside dumping an object is named {@code part-<16 hex digits>.<ext>}: the start of the SHA-256 of the job, the
 * source table, the cursor the batch starts from (the table's committed cursor for a run's
 * first batch, then the cursor after the previous batch) and the count of earlier batches of the run that started
 * from that same cursor. A batch replayed after a crash starts from the committed cursor again and so overwrites the
 * objects it wrote before, instead of adding duplicates. Dumping names objects {@code part-<batch sequence>.<ext>}
 * inside the run's snapshot folder.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>dumping</b>: the run writes into its own snapshot folder; its last batch puts {@code _SUCCESS} there
 *       (for every destination table the run wrote, or for the source table when it wrote no rows). At a run's
 *       first sight of a table folder, every snapshot folder in it without {@code _SUCCESS} is the leftover of a run
 *       that died and is deleted. Readers should read only snapshots with {@code _SUCCESS}.</li>
 *   <li><b>logging</b>: append: each batch its own objects; a replay overwrites them. A replay whose batches start
 *       from other cursors than before (the source changed behind the committed cursor) may write a row twice.</li>
 *   <li><b>syncing</b>: after each batch every primary key ({@code primary_key}) is in one object of the table
 *       folder: copy-on-write. An object of the batch's name that exists already (a replay, or an earlier run that
 *       started from the same cursor: with {@code buffer_updation_lag} a run that reads nothing new keeps its
 *       cursor, and the next one re-reads a window that has moved) keeps its rows whose keys the batch lacks. The
 *       batch's objects are put first; then every other data object of the table folder,
 *       in every partition (so a row whose {@code partition_col} value changed moves to its new month and leaves
 *       the old one), that may hold one of the batch's keys is read, and rewritten without those keys, or deleted
 *       when nothing is left. {@link KeyRanges} skips objects whose key range misses the batch's keys; an object
 *       holding none of them is never rewritten. A crash between the two steps leaves a key twice until the
 *       replayed batch removes the older copy. Cost: one LIST of the table folder per batch plus reads of the
 *       objects whose key range meets the batch's, which favours keys that grow with time.</li>
 *   <li><b>mirroring</b> is refused by validation for s3 and file (deleting rows gone at the source would rewrite
 *       the whole table each run); reaching it anyway throws {@link DestinationException} suggesting syncing.</li>
 * </ul>
 *
 * <h2>Athena DDL</h2>
 * When the format is Parquet, the first batch of a run that writes a table folder puts {@code _athena.sql}
 * ({@link AthenaDdl}) in it, with the folder's URI as LOCATION ({@code s3://bucket/t s/}, or the folder's
 * {@code file:} URI for a file destination, which Spark, Hive or Trino on that machine can use), and notes it in the
 * destination's {@link DestinationStats} for the run summary. JSONL and CSV folders get no DDL.
 *
 * <h2>Concurrency</h2>
 * Object stores have no locks like PostgreSQL's advisory locks, so nothing stops two runs writing one table folder at
 * once; the scheduler runs one run of a table at a time, and two jobs (or two destinations of one job) must not share
 * a table folder: a dumping run would delete the other's unfinished snapshot, and syncing runs would race on
 * {@code _caravan_keys.json} and on rewrites. Within one process a dump refuses a table folder that another run or
 * destination writes at the same time (two source tables of a job that {@code get_table_name} routes into one
 * table, say), and any run refuses a folder that a dump of another source table writes.
 *
 * <h2>Durability</h2>
 * Every put is durable when it returns ({@link ObjectStore}), so {@link #flush()} has nothing to do. Objects are
 * built in a temporary folder of this machine, one batch at a time.
 *
 * <p>One instance per (run, destination), used by one thread at a time.
 */
public final class ObjectDestination implements Destination {

    /** The marker of a complete dumping snapshot. */
    public static final String SUCCESS = "_SUCCESS";
    /** The file of the Athena DDL in a table folder. */
    public static final String DDL = "_athena.sql";
    /** The partition key of a dumping snapshot folder. */
    public static final String SNAPSHOT_KEY = "migration_snapshot_date";
    /** Format of the snapshot folder's value: the run's start in UTC, e.g. {@code 2024-05-01T10-00-00Z}. */
    public static final DateTimeFormatter SNAPSHOT_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Set<Integer> NUMERIC_OIDS = Set.of(20, 21, 23, 26, 700, 701, 1700);

    private final TableRun run;
    private final DestinationSpec spec;
    private final TableSpec table;
    private final DestinationStats stats;
    private final ObjectStore store;
    private final RowFormat format;
    private final String snapshot;
    private final Set<String> folders = new LinkedHashSet<>();
    private final Map<String, KeyRanges> keyRanges = new HashMap<>();
    /** Table folders (URIs) being written in this process, each with its writers and their descriptions. */
    private static final Map<String, Map<ObjectDestination, String>> WRITERS = new HashMap<>();
    private final Set<String> claimed = new LinkedHashSet<>();
    private Path tmp;
    private String startCursor;
    private int sinceStart;
    private String currentKey;

    /**
     * @param run    the run; its shape must be known by the first write; never null
     * @param spec   the destination (its name and suffix are used); never null
     * @param store  where objects go; closed with this destination
     * @param format the file format of the objects
     */
    public ObjectDestination(TableRun run, DestinationSpec spec, ObjectStore store, RowFormat format) {
        this.run = run;
        this.spec = spec;
        this.table = run.table();
        this.stats = run.stats(spec.name());
        this.store = store;
        this.format = format;
        this.snapshot = SNAPSHOT_FORMAT.format(run.started());
    }

    /**
     * Opens a {@code file} destination: a {@link LocalStore} on {@code path} in {@code format} (Parquet when not
     * given).
     *
     * @param run  the run; never null
     * @param spec a destination of type file; never null
     * @return the destination
     * @throws DestinationException naming the folder when it cannot be created
     */
    public static ObjectDestination file(TableRun run, DestinationSpec spec) {
        Path folder = Path.of(spec.path());
        try {
            DestinationSpec.FileFormat f = spec.format() == null ? DestinationSpec.FileFormat.PARQUET : spec.format();
            return new ObjectDestination(run, spec, new LocalStore(folder), RowFormat.of(f));
        } catch (IOException | RuntimeException e) {
            throw new DestinationException("job " + run.job() + ", table " + run.table().tableName()
                    + ", destination " + spec.name() + ": cannot use folder " + folder.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the store objects go to */
    public ObjectStore store() {
        return store;
    }

    /** @return {@code job <job>, table <table>, destination <destination>}, the start of every message */
    private String where() {
        return "job " + run.job() + ", table " + table.tableName() + ", destination " + spec.name();
    }

    @Override
    public void write(Batch batch) {
        if (table.mode() == Mode.MIRRORING) {
            throw new DestinationException(where() + ": mode mirroring is not supported by " + spec.destinationType()
                    + " destinations (objects cannot delete rows gone at the source without rewriting the table);"
                    + " use mode syncing", null);
        }
        long start = System.nanoTime();
        currentKey = null;
        try {
            if (tmp == null) {
                tmp = Files.createTempDirectory("caravan-objects-");
            }
            String name = objectName(batch);
            long rows = 0;
            long bytes = 0;
            for (BatchPart part : batch.parts()) {
                String folder = part.table() + spec.suffix() + "/";
                prepare(folder);
                List<Object[]> values = PgRows.values(run.shape(), part.rows());
                if (values.isEmpty()) {
                    continue;
                }
                switch (table.mode()) {
                    case DUMPING -> append(folder + snapshotFolder(), values,
                            String.format(Locale.ROOT, "part-%05d.%s", batch.sequence(), format.extension()));
                    case LOGGING -> append(folder, values, name);
                    case SYNCING -> sync(folder, values, name);
                    default -> throw new IllegalStateException("mode " + table.mode());
                }
                rows += values.size();
                bytes += part.rows().byteCount();
            }
            if (batch.last()) {
                finish();
            }
            advance(batch);
            stats.addWrite(rows, bytes, System.nanoTime() - start);
        } catch (DestinationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DestinationException(where() + (currentKey == null ? "" : ", object " + store.uri(currentKey))
                    + ": " + describe(e), e);
        }
    }

    /**
     * @return the exception's message, led by its class when that says what went wrong (the JDK's file exceptions
     *         carry only the path: {@code FileAlreadyExistsException: /data/orders})
     */
    private static String describe(Exception e) {
        String m = e.getMessage();
        if (e.getClass() != IOException.class && e instanceof IOException || m == null) {
            return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        }
        return m;
    }

    /** @return the snapshot folder of this run inside a table folder, e.g. {@code migration_snapshot_date=.../} */
    private String snapshotFolder() {
        return SNAPSHOT_KEY + "=" + snapshot + "/";
    }

    /** @return the object name of a non-dumping batch: see the class javadoc */
    private String objectName(Batch batch) {
        if (table.mode() == Mode.DUMPING) {
            return null;
        }
        if (startCursor == null) {
            startCursor = text(run.cursorStore().load(run.job(), table.tableName()).cursor());
            sinceStart = 0;
        }
        String id = String.join("\u0000", run.job(), table.tableName(), startCursor, Integer.toString(sinceStart));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "part-" + HexFormat.of().formatHex(h, 0, 8) + "." + format.extension();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Moves the start cursor past a written batch. */
    private void advance(Batch batch) {
        if (table.mode() == Mode.DUMPING) {
            return;
        }
        String after = batch.cursorAfter() == null ? null : text(batch.cursorAfter());
        if (after != null && !after.equals(startCursor)) {
            startCursor = after;
            sinceStart = 0;
        } else {
            sinceStart++;
        }
    }

    private static String text(Cursor c) {
        return c == null ? "-" : c.phase() + "|" + c.bookmarkValue() + "|" + c.keyValue() + "|" + c.initialCeiling();
    }

    /**
     * On a run's first sight of a table folder: removes incomplete dumping snapshots, loads syncing's key ranges,
     * and writes the Athena DDL.
     */
    private void prepare(String folder) throws IOException {
        if (!folders.add(folder)) {
            return;
        }
        claim(folder);
        if (table.mode() == Mode.DUMPING) {
            removeIncompleteSnapshots(folder);
        }
        if (format.format() == DestinationSpec.FileFormat.PARQUET) {
            String ddl = AthenaDdl.createTable(folder.substring(0, folder.length() - 1), store.uri(folder),
                    run.shape(), table.mode() == Mode.DUMPING, table.partitionCol() != null);
            putBytes(folder + DDL, ddl.getBytes(StandardCharsets.UTF_8));
            stats.note(ddl.stripTrailing());
        }
    }

    /**
     * Registers this destination as a writer of a table folder, refusing to share it with a dump: a dumping run
     * deletes the unfinished snapshots it finds and numbers its objects by batch within a snapshot folder named by
     * the second it started, so another run writing the folder at the same time (another source table whose
     * get_table_name routes into it, another destination on the same folder) would lose rows. Only runs of this
     * process are seen; runs of other processes must not share a dumped folder either.
     *
     * @throws DestinationException naming the other writer when one of the two dumps
     */
    private void claim(String folder) {
        String uri = store.uri(folder);
        String me = "job " + run.job() + ", table " + table.tableName() + ", destination " + spec.name();
        synchronized (WRITERS) {
            Map<ObjectDestination, String> writers = WRITERS.computeIfAbsent(uri, k -> new IdentityHashMap<>());
            for (Map.Entry<ObjectDestination, String> w : writers.entrySet()) {
                boolean dumps = table.mode() == Mode.DUMPING || w.getKey().table.mode() == Mode.DUMPING;
                if (w.getKey() != this && dumps && !w.getValue().equals(me)) {
                    throw new DestinationException(where() + ": table folder " + uri + " is written by "
                            + w.getValue() + " at the same time, and a dump must be the only writer of its table"
                            + " folder (the runs would overwrite or delete each other's objects); give one of them"
                            + " another suffix, path or get_table_name route", null);
                }
            }
            writers.put(this, me);
        }
        claimed.add(uri);
    }

    /** Removes this destination from the writers of the folders it claimed. */
    private void release() {
        synchronized (WRITERS) {
            for (String uri : claimed) {
                Map<ObjectDestination, String> writers = WRITERS.get(uri);
                if (writers != null) {
                    writers.remove(this);
                    if (writers.isEmpty()) {
                        WRITERS.remove(uri);
                    }
                }
            }
        }
        claimed.clear();
    }

    private void removeIncompleteSnapshots(String folder) throws IOException {
        String prefix = folder + SNAPSHOT_KEY + "=";
        Map<String, List<String>> bySnapshot = new TreeMap<>();
        for (ObjectStore.StoredObject o : store.list(prefix)) {
            int slash = o.key().indexOf('/', prefix.length());
            if (slash > 0) {
                bySnapshot.computeIfAbsent(o.key().substring(0, slash + 1), k -> new ArrayList<>()).add(o.key());
            }
        }
        for (Map.Entry<String, List<String>> e : bySnapshot.entrySet()) {
            if (!e.getValue().contains(e.getKey() + SUCCESS)) {
                currentKey = e.getKey();
                store.delete(e.getValue());
            }
        }
        currentKey = null;
    }

    /** Dumping's last batch: marks the snapshot of each table folder complete. */
    private void finish() throws IOException {
        if (table.mode() != Mode.DUMPING) {
            saveKeyRanges();
            return;
        }
        if (folders.isEmpty()) {
            String folder = table.sourceName() + spec.suffix() + "/";
            prepare(folder);
        }
        for (String folder : folders) {
            putBytes(folder + snapshotFolder() + SUCCESS, new byte[0]);
        }
    }

    /** Writes rows to {@code <folder><month folder>name}, one object per month. */
    private void append(String folder, List<Object[]> values, String name) throws IOException {
        for (Map.Entry<String, List<Object[]>> e : byMonth(values).entrySet()) {
            putRows(folder + e.getKey() + name, e.getValue());
        }
    }

    /** @return rows by month folder ({@code ""} when the table is not partitioned), in folder order */
    private Map<String, List<Object[]>> byMonth(List<Object[]> values) {
        Map<String, List<Object[]>> out = new TreeMap<>();
        if (table.partitionCol() == null) {
            out.put("", values);
            return out;
        }
        int i = run.shape().indexOf(table.partitionCol());
        if (i < 0) {
            throw new IllegalArgumentException("partition_col " + table.partitionCol() + " is not a column (columns: "
                    + run.shape().columns().stream().map(Column::name).toList() + ")");
        }
        for (Object[] row : values) {
            out.computeIfAbsent(MonthPartitions.folder(row[i], table.partitionColFormat()),
                    k -> new ArrayList<>()).add(row);
        }
        return out;
    }

    /** Copy-on-write upsert of one batch part: see the class javadoc. */
    private void sync(String folder, List<Object[]> values, String name) throws IOException {
        TableShape shape = run.shape();
        int k = keyIndex(shape);
        KeyRanges ranges = keyRanges(folder, shape, k);
        Comparator<String> order = ranges.order();
        Set<String> keys = new HashSet<>();
        for (Object[] row : values) {
            keys.add(key(row[k]));
        }
        String min = keys.stream().min(order).orElseThrow();
        String max = keys.stream().max(order).orElseThrow();

        List<ObjectStore.StoredObject> listed = dataObjects(folder);
        Map<String, List<Object[]>> written = new TreeMap<>();
        byMonth(values).forEach((month, rows) -> written.put(folder + month + name, new ArrayList<>(rows)));
        for (ObjectStore.StoredObject o : listed) {
            List<Object[]> rows = written.get(o.key());
            if (rows != null) {
                // an earlier batch of this name: a replay, or a run that started from the same cursor and read
                // another window (buffer_updation_lag moves it): its rows whose keys this batch lacks stay
                List<Object[]> old = readObject(o.key());
                for (Object[] row : old == null ? List.<Object[]>of() : old) {
                    if (!keys.contains(key(row[k]))) {
                        rows.add(row);
                    }
                }
            }
        }
        List<String> alive = new ArrayList<>(listed.stream().map(ObjectStore.StoredObject::key).toList());
        alive.addAll(written.keySet());
        ranges.retain(alive);
        for (Map.Entry<String, List<Object[]>> e : written.entrySet()) {
            String[] r = range(e.getValue(), k, order);
            ranges.widen(e.getKey(), r[0], r[1]);
        }
        saveKeyRanges(folder, ranges);
        for (Map.Entry<String, List<Object[]>> e : written.entrySet()) {
            long size = putRows(e.getKey(), e.getValue());
            String[] r = range(e.getValue(), k, order);
            ranges.exact(e.getKey(), size, r[0], r[1]);
        }
        for (ObjectStore.StoredObject o : listed) {
            if (written.containsKey(o.key()) || !ranges.mayHold(o.key(), o.size(), min, max)) {
                continue;
            }
            List<Object[]> old = readObject(o.key());
            if (old == null) {
                ranges.remove(o.key());
                continue;
            }
            List<Object[]> kept = new ArrayList<>(old.size());
            for (Object[] row : old) {
                if (!keys.contains(key(row[k]))) {
                    kept.add(row);
                }
            }
            if (kept.isEmpty()) {
                currentKey = o.key();
                store.delete(List.of(o.key()));
                ranges.remove(o.key());
            } else if (kept.size() < old.size()) {
                long size = putRows(o.key(), kept);
                String[] r = range(kept, k, order);
                ranges.exact(o.key(), size, r[0], r[1]);
            } else {
                String[] r = range(kept, k, order);
                ranges.exact(o.key(), o.size(), r[0], r[1]);
            }
        }
        currentKey = null;
    }

    /** @return the rows of a data object, null when it is gone */
    private List<Object[]> readObject(String key) throws IOException {
        currentKey = key;
        Path file = tmp.resolve("old." + format.extension());
        List<Object[]> rows = store.get(key, file) ? format.read(run.shape(), file) : null;
        Files.deleteIfExists(file);
        currentKey = null;
        return rows;
    }

    /** @return the index of {@code primary_key} in the shape */
    private int keyIndex(TableShape shape) {
        if (table.primaryKey() == null) {
            throw new IllegalArgumentException("syncing needs primary_key");
        }
        int k = shape.indexOf(table.primaryKey());
        if (k < 0) {
            throw new IllegalArgumentException("primary_key " + table.primaryKey() + " is not a column (columns: "
                    + shape.columns().stream().map(Column::name).toList() + ")");
        }
        return k;
    }

    /** @return a key as text, equal for the value a batch carries and the value a format reads back */
    private static String key(Object value) {
        return value == null ? "" : PgBinaryCodec.toText(value);
    }

    private static String[] range(List<Object[]> rows, int k, Comparator<String> order) {
        String min = null;
        String max = null;
        for (Object[] row : rows) {
            String v = key(row[k]);
            if (min == null || order.compare(v, min) < 0) {
                min = v;
            }
            if (max == null || order.compare(v, max) > 0) {
                max = v;
            }
        }
        return new String[] {min, max};
    }

    /** @return the folder's key ranges, loaded from the store on first use */
    private KeyRanges keyRanges(String folder, TableShape shape, int k) throws IOException {
        KeyRanges r = keyRanges.get(folder);
        if (r == null) {
            boolean numeric = NUMERIC_OIDS.contains(shape.columns().get(k).typeOid());
            r = new KeyRanges(numeric);
            Path file = tmp.resolve("keys.json");
            currentKey = folder + KeyRanges.NAME;
            if (store.get(currentKey, file)) {
                try {
                    r.load(file);
                } catch (IOException e) {
                    r = new KeyRanges(numeric);
                }
                Files.deleteIfExists(file);
            }
            currentKey = null;
            keyRanges.put(folder, r);
        }
        return r;
    }

    private void saveKeyRanges() throws IOException {
        for (Map.Entry<String, KeyRanges> e : keyRanges.entrySet()) {
            saveKeyRanges(e.getKey(), e.getValue());
        }
    }

    private void saveKeyRanges(String folder, KeyRanges ranges) throws IOException {
        Path file = tmp.resolve("keys.json");
        ranges.save(file);
        currentKey = folder + KeyRanges.NAME;
        store.put(currentKey, file);
        currentKey = null;
        Files.deleteIfExists(file);
    }

    /** @return the data objects of a table folder: the format's extension, names not starting with _ or . */
    private List<ObjectStore.StoredObject> dataObjects(String folder) throws IOException {
        String ext = "." + format.extension();
        try (Stream<ObjectStore.StoredObject> s = store.list(folder).stream()) {
            return s.filter(o -> o.key().endsWith(ext)).filter(o -> {
                String file = o.key().substring(o.key().lastIndexOf('/') + 1);
                return !file.startsWith("_") && !file.startsWith(".");
            }).toList();
        }
    }

    /** Writes rows in the format and puts them under {@code key}. @return the object's size in bytes */
    private long putRows(String key, List<Object[]> rows) throws IOException {
        currentKey = key;
        Path file = tmp.resolve("batch." + format.extension());
        format.write(run.shape(), rows, file);
        long size = Files.size(file);
        store.put(key, file);
        Files.deleteIfExists(file);
        currentKey = null;
        return size;
    }

    private void putBytes(String key, byte[] content) throws IOException {
        currentKey = key;
        Path file = tmp.resolve("small");
        Files.write(file, content);
        store.put(key, file);
        Files.deleteIfExists(file);
        currentKey = null;
    }

    /** Nothing is pending: every put is durable when it returns. */
    @Override
    public void flush() {
        // every put was durable when it returned
    }

    /** Closes the store's client and removes the temporary folder. */
    @Override
    public void close() {
        release();
        try {
            store.close();
        } finally {
            if (tmp != null) {
                try (Stream<Path> s = Files.list(tmp)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
                tmp = null;
            }
        }
    }
}
