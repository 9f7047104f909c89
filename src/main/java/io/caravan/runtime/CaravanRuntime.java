package io.caravan.runtime;

import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Settings;
import io.caravan.mapping.TableSpec;
import io.caravan.source.Source;
import io.caravan.state.CursorStore;
import io.caravan.state.JdbcCursorStore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the routes of one process share: settings, loaded mappings, the cursor store, and the tracker of runs.
 * Bound in the Camel registry as {@value #BEAN}; the caravan components find it there. Thread-safe.
 */
public final class CaravanRuntime implements AutoCloseable {

    /** Registry name. */
    public static final String BEAN = "caravanRuntime";

    private final Settings settings;
    private final Path stateDir;
    private final RunTracker tracker = new RunTracker();
    private final Map<String, JobMapping> mappings = new HashMap<>();
    private CompletableFuture<CursorStore> cursorStore;
    private final java.util.List<RunListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<String> oneShotsRun = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, TableControl> tables = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile ServeOptions serve;
    private volatile Leadership leadership = Leadership.ALONE;
    private final java.util.concurrent.atomic.AtomicLong skippedStarts = new java.util.concurrent.atomic.AtomicLong();
    private java.util.concurrent.ExecutorService runThreads;

    /**
     * @param settings settings; never null
     * @param stateDir directory of the embedded cursor store, usually {@code .caravan}
     */
    public CaravanRuntime(Settings settings, Path stateDir) {
        this.settings = settings;
        this.stateDir = stateDir;
    }

    /** @return the settings the process started with; never null */
    public Settings settings() {
        return settings;
    }

    /**
     * Turns on serve mode: table routes then run on their cron (camel-quartz) in the settings' time zone, a run
     * never overlaps itself, self-managed tables run once per process, transient failures are retried, and the
     * cut-off time stops runs. Call before Camel starts the routes.
     *
     * @param options the clock and retry rules; never null
     */
    public synchronized void serve(ServeOptions options) {
        this.serve = options;
        tracker.keepFinished(false);
        if (runThreads == null) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            runThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "caravan-run-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** @return serve mode's options; null under {@code caravan run} */
    public ServeOptions serveOptions() {
        return serve;
    }

    /** @return the threads table runs use in serve mode; null under {@code caravan run} */
    public synchronized java.util.concurrent.Executor runThreads() {
        return runThreads;
    }

    /** @param leadership which jobs this process may run; never null */
    public void leadership(Leadership leadership) {
        this.leadership = leadership;
    }

    /** @return which jobs this process may run; {@link Leadership#ALONE} unless serve mode set a cluster's */
    public Leadership leadership() {
        return leadership;
    }

    /** Counts a scheduled start skipped because the table's previous run was still under way. */
    public void skippedStart() {
        skippedStarts.incrementAndGet();
    }

    /** @return scheduled starts skipped so far because the table's previous run was still under way */
    public long skippedStarts() {
        return skippedStarts.get();
    }

    /** @param listener told about every run from now on; never null */
    public void addListener(RunListener listener) {
        listeners.add(listener);
    }

    /** @return the listeners, in the order added */
    public java.util.List<RunListener> listeners() {
        return listeners;
    }

    /**
     * Records that a self-managed table ran in this process, so that a reloaded route does not run it again.
     *
     * @param job   job name
     * @param table table name
     * @return true the first time for this table, false when it already ran
     */
    public boolean firstOneShot(String job, String table) {
        return oneShotsRun.add(job + "\u0000" + table);
    }

    /**
     * @param job     job name
     * @param table   table name
     * @param control the started route's handle on the table; replaces an earlier one
     */
    public void tableStarted(String job, String table, TableControl control) {
        tables.put(job + "\u0000" + table, control);
    }

    /**
     * @param job     job name
     * @param table   table name
     * @param control the handle given to {@link #tableStarted}; a newer handle of the same table is kept
     */
    public void tableStopped(String job, String table, TableControl control) {
        tables.remove(job + "\u0000" + table, control);
    }

    /**
     * @param job   job name
     * @param table table name
     * @return the started route's handle on the table; null when its route is not running in this process
     */
    public TableControl table(String job, String table) {
        return tables.get(job + "\u0000" + table);
    }

    /** @return the mapping files loaded so far, by path */
    public synchronized Map<String, JobMapping> mappings() {
        return new java.util.TreeMap<>(mappings);
    }

    /** @return the tracker of this process's table runs; never null */
    public RunTracker tracker() {
        return tracker;
    }

    /**
     * @param path a mapping file, as a route names it
     * @return the loaded mapping, cached per path
     * @throws io.caravan.mapping.MappingException when it is invalid
     */
    public synchronized JobMapping mapping(String path) {
        return mappings.computeIfAbsent(path, p -> MappingLoader.load(Path.of(p)));
    }

    /** @param mapping a mapping already loaded from {@code path} */
    public synchronized void register(String path, JobMapping mapping) {
        mappings.put(path, mapping);
    }

    /**
     * Forgets the mapping of {@code path} (its file was deleted); a later {@link #mapping} loads the file again.
     *
     * @param path a mapping file, as a route names it
     */
    public synchronized void unregister(String path) {
        mappings.remove(path);
    }

    /**
     * Starts opening the cursor store in the background (it loads a database and Flyway, about half a second), so
     * that it opens while Camel starts. Idempotent.
     */
    public synchronized void openCursorStoreInBackground() {
        if (cursorStore == null) {
            cursorStore = CompletableFuture.supplyAsync(this::openCursorStore);
        }
    }

    private CursorStore openCursorStore() {
        return settings.cursorStoreUrl() == null ? JdbcCursorStore.openEmbedded(stateDir)
                : JdbcCursorStore.open(settings.cursorStoreUrl(), settings.cursorStoreUser(),
                settings.cursorStorePassword().resolve());
    }

    /**
     * @return the cursor store, opened on first use
     * @throws io.caravan.state.StateException when it cannot be opened; the next call tries to open it again (the
     *                                         state database may be back by the next run)
     */
    public CursorStore cursorStore() {
        CompletableFuture<CursorStore> opening;
        synchronized (this) {
            openCursorStoreInBackground();
            opening = cursorStore;
        }
        try {
            return opening.join();
        } catch (CompletionException e) {
            synchronized (this) {
                if (cursorStore == opening) {
                    cursorStore = null;
                }
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * @param mappingPath       mapping file
     * @param tableName         a table's {@code table_name}
     * @param batchSizeOverride rows per batch from the route; 0 for the mapping's
     * @return a new run, not started
     */
    public TableRun newRun(String mappingPath, String tableName, int batchSizeOverride) {
        JobMapping mapping = mapping(mappingPath);
        TableSpec table = mapping.table(tableName);
        if (batchSizeOverride > 0 && batchSizeOverride != table.batchSize()) {
            table = withBatchSize(table, batchSizeOverride);
        }
        return new TableRun(mapping, table, cursorStore());
    }

    private static TableSpec withBatchSize(TableSpec t, int batchSize) {
        return new TableSpec(t.tableName(), t.cron(), t.mode(), batchSize, t.bookmark(), t.improperBookmarks(),
                t.primaryKey(), t.primaryKeyDatatype(), t.partitionCol(), t.partitionColFormat(),
                t.bufferUpdationLag(), t.graceUpdationLag(), t.strict(), t.processDict(), t.getTableName(), t.options());
    }

    /**
     * @param run a run
     * @return the source that reads the run's table
     * @throws IllegalArgumentException for a source type this build does not have
     */
    public Source source(TableRun run) {
        return Sources.open(run);
    }

    /**
     * @param run         a run whose source has begun
     * @param destination a destination name of the run's mapping
     * @return the run's writer for that destination, created on first use and closed with the run
     * @throws IllegalArgumentException naming the mapping's destinations when there is none of that name
     */
    public Destination destination(TableRun run, String destination) {
        DestinationSpec spec = run.mapping().destinations().get(destination);
        if (spec == null) {
            throw new IllegalArgumentException("job " + run.job() + " has no destination '" + destination
                    + "'; destinations: " + run.mapping().destinations().keySet());
        }
        return run.writer(destination, d -> Destinations.open(run, spec));
    }

    @Override
    public synchronized void close() {
        if (runThreads != null) {
            runThreads.shutdownNow();
            runThreads = null;
        }
        if (cursorStore != null) {
            cursorStore.thenAccept(CursorStore::close);
            cursorStore = null;
        }
    }
}
