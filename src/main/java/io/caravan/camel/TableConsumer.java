package io.caravan.camel;

import io.caravan.batch.TableRun;
import io.caravan.mapping.Crons;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.Failures;
import io.caravan.runtime.RunListener;
import io.caravan.runtime.RunTracker;
import io.caravan.runtime.ServeOptions;
import io.caravan.runtime.TableControl;
import io.caravan.source.BatchStream;
import io.caravan.state.Cursor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the table once per poll: starts a run, hands the batches to the route, and records the outcome. A failure
 * never escapes as a stack trace: it is recorded on the run, whose summary names the job, table and destination.
 *
 * <p>Under {@code caravan run} the poll runs the table on the poll's thread, once. In serve mode
 * ({@link CaravanRuntime#serve}) the poll (a camel-quartz trigger for a cron table, one poll at start for a
 * self-managed one) hands the run to a run thread and returns, so that a fire that comes while a run is under way
 * is logged and skipped instead of queued; a transient failure ({@link Failures}) is retried with exponential
 * backoff up to the settings' {@code retries.max_attempts}; past the cut-off time no run starts and a running one
 * stops at the next batch boundary.
 */
public class TableConsumer extends ScheduledPollConsumer implements TableControl {

    /** Exchange property holding the {@link TableRun}. */
    public static final String RUN_PROPERTY = "CaravanRun";

    private static final Logger LOG = LoggerFactory.getLogger(TableConsumer.class);

    private final TableEndpoint endpoint;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String job;
    private volatile CronExpression cron;
    private volatile TableRun current;

    public TableConsumer(TableEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    private CaravanRuntime runtime() {
        return getEndpoint().getCamelContext().getRegistry()
                .lookupByNameAndType(CaravanRuntime.BEAN, CaravanRuntime.class);
    }

    private String key() {
        return endpoint.getEndpointUri();
    }

    /**
     * Serve mode: schedules the table's polls by its cron through camel-quartz, in the settings' time zone.
     *
     * @param quartz  the table's cron as a Quartz expression; null for a self-managed table (one poll at start)
     * @param options serve mode's options; never null
     */
    void schedule(String quartz, ServeOptions options) {
        if (quartz == null) {
            return;
        }
        org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler scheduler =
                new org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler();
        scheduler.setCamelContext(getEndpoint().getCamelContext());
        scheduler.setCron(quartz);
        scheduler.setTimeZone(TimeZone.getTimeZone(options.zone()));
        scheduler.setTriggerGroup("caravan");
        scheduler.setTriggerId(key());
        setScheduler(scheduler);
        setRepeatCount(0);
        try {
            CronExpression expression = new CronExpression(quartz);
            expression.setTimeZone(TimeZone.getTimeZone(options.zone()));
            cron = expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException(Crons.toQuartz(quartz), e);
        }
    }

    @Override
    protected void doStart() throws Exception {
        CaravanRuntime runtime = runtime();
        if (runtime == null) {
            throw new IllegalStateException("no " + CaravanRuntime.BEAN + " bean: run routes with 'caravan run'");
        }
        runtime.tracker().expect(key());
        if (runtime.serveOptions() != null) {
            job = runtime.mapping(endpoint.getMapping()).name();
            runtime.tableStarted(job, endpoint.getTable(), this);
        }
        super.doStart();
    }

    /**
     * Stops the route's table: a run under way ends at its next batch boundary, its cursor committed, as
     * {@link TableRun.Status#STOPPED}, so that Camel's graceful shutdown (or a reload) does not wait for the whole
     * table nor cut it off in the middle of a batch.
     */
    @Override
    protected void doStop() throws Exception {
        stopCurrentRun();
        CaravanRuntime runtime = runtime();
        if (runtime != null && job != null) {
            runtime.tableStopped(job, endpoint.getTable(), this);
        }
        super.doStop();
    }

    /** Camel's graceful shutdown suspends the consumer first, then waits for the run (its exchange) to end. */
    @Override
    protected void doSuspend() throws Exception {
        stopCurrentRun();
        super.doSuspend();
    }

    private void stopCurrentRun() {
        TableRun run = current;
        if (run != null) {
            run.requestStop(TableRun.Status.STOPPED);
        }
    }

    @Override
    protected int poll() {
        CaravanRuntime runtime = runtime();
        if (runtime.serveOptions() == null) {
            runOnce(runtime, 1);
            return 1;
        }
        if (!runtime.leadership().holds(job)) {
            LOG.debug("{} table {}: another process holds the job; this start is skipped", job, endpoint.getTable());
            return 0;
        }
        if (cron == null && !runtime.firstOneShot(job, endpoint.getTable())) {
            LOG.info("{} table {}: self-managed and already run by this process; not run again", job,
                    endpoint.getTable());
            return 0;
        }
        return launch(cron == null ? "start" : "scheduled start") ? 1 : 0;
    }

    @Override
    public boolean runNow(String why) {
        return launch(why);
    }

    @Override
    public boolean selfManaged() {
        return cron == null;
    }

    @Override
    public boolean running() {
        return running.get();
    }

    @Override
    public Instant nextRun() {
        CaravanRuntime runtime = runtime();
        CronExpression c = cron;
        if (c == null || runtime == null || !isRunAllowed()) {
            return null;
        }
        ServeOptions options = runtime.serveOptions();
        Instant from = options.pastCutOff() ? options.resumesAt().toInstant() : options.clock().instant();
        Date next = c.getNextValidTimeAfter(Date.from(from.minusMillis(1)));
        return next == null ? null : next.toInstant();
    }

    /** Serve mode: starts a run on a run thread unless one is under way or it is past the cut-off. */
    private boolean launch(String why) {
        CaravanRuntime runtime = runtime();
        ServeOptions options = runtime.serveOptions();
        String table = endpoint.getTable();
        if (options.pastCutOff()) {
            LOG.info("{} table {}: {} skipped: past the cut-off time {}; runs start again at {}", job, table, why,
                    options.cutOffTime(), options.resumesAt());
            for (RunListener l : runtime.listeners()) {
                try {
                    l.cutOff(job, options.resumesAt());
                } catch (RuntimeException e) {
                    LOG.warn("run listener {} failed on the cut-off of job {}: {}", l.getClass().getSimpleName(),
                            job, e.toString());
                }
            }
            return false;
        }
        if (!runtime.leadership().holds(job)) {
            LOG.info("{} table {}: {} skipped: another process holds the job", job, table, why);
            return false;
        }
        if (!running.compareAndSet(false, true)) {
            LOG.warn("{} table {}: {} skipped: the previous run is still under way", job, table, why);
            runtime.skippedStart();
            return false;
        }
        try {
            runtime.runThreads().execute(() -> {
                try {
                    runWithRetries(runtime);
                } finally {
                    running.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            running.set(false);
            return false;
        }
    }

    private void runWithRetries(CaravanRuntime runtime) {
        for (int attempt = 1; ; attempt++) {
            TableRun run = runOnce(runtime, attempt);
            if (run == null || !willRetry(runtime, run)) {
                return;
            }
            Duration wait = Duration.between(runtime.serveOptions().clock().instant(), run.nextAttempt());
            LOG.warn("{} table {}: attempt {} failed ({}); attempt {} in {} s", job, endpoint.getTable(), attempt,
                    run.error(), attempt + 1, Math.max(0, wait.toSeconds()));
            try {
                Thread.sleep(Math.max(0, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!isRunAllowed() || runtime.serveOptions().pastCutOff()) {
                return;
            }
        }
    }

    /** @return whether a failed run is tried again: serve mode, a transient failure, attempts left, not stopping */
    private boolean willRetry(CaravanRuntime runtime, TableRun run) {
        ServeOptions options = runtime.serveOptions();
        return options != null && run.status() == TableRun.Status.FAILED && Failures.isTransient(run.error())
                && run.attempt() < options.retries().maxAttempts() && isRunAllowed() && !options.pastCutOff();
    }

    /** @return the run; null when it could not even start (its mapping failed to load, say) */
    private TableRun runOnce(CaravanRuntime runtime, int attempt) {
        RunTracker tracker = runtime.tracker();
        ServeOptions options = runtime.serveOptions();
        TableRun run;
        try {
            run = runtime.newRun(endpoint.getMapping(), endpoint.getTable(), endpoint.getBatchSize());
        } catch (RuntimeException e) {
            tracker.failedToStart(key(), endpoint.getMapping() + " table " + endpoint.getTable() + ": "
                    + e.getMessage());
            LOG.error("{} table {}: the run could not start: {}", endpoint.getMapping(), endpoint.getTable(),
                    e.getMessage());
            return null;
        }
        run.attempt(attempt);
        current = run;
        run.cursorBefore(committedCursor(run));
        tracker.started(key(), run);
        for (RunListener l : runtime.listeners()) {
            tell(l, run, true);
        }
        Exchange exchange = createExchange(false);
        try {
            BatchStream batches = runtime.source(run).read(run);
            exchange.getIn().setBody(new CutOffBatches(batches, run, options));
            exchange.setProperty(RUN_PROPERTY, run);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                run.fail(rootCause(exchange.getException()));
            } else if (run.status() == TableRun.Status.RUNNING && run.stopRequested()) {
                run.endStopped();
            } else if (run.status() == TableRun.Status.RUNNING) {
                run.succeed();
            }
        } catch (Exception e) {
            run.fail(rootCause(e));
        } finally {
            if (run.status() != TableRun.Status.SUCCEEDED) {
                commitPendingCursor(run);
            }
            run.close();
            releaseExchange(exchange, false);
            run.cursorAfter(committedCursor(run));
            if (options != null) {
                run.nextAttempt(willRetry(runtime, run) ? options.retryAt(attempt) : nextRun());
            }
            current = null;
            tracker.finished(key(), run);
            for (RunListener l : runtime.listeners()) {
                tell(l, run, false);
            }
        }
        return run;
    }

    private static Cursor committedCursor(TableRun run) {
        try {
            return run.cursorStore().load(run.job(), run.table().tableName()).cursor();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void tell(RunListener listener, TableRun run, boolean started) {
        try {
            if (started) {
                listener.started(run);
            } else {
                listener.finished(run);
            }
        } catch (RuntimeException e) {
            LOG.warn("run listener {} failed on {} table {}: {}", listener.getClass().getSimpleName(), run.job(),
                    run.table().tableName(), e.toString());
        }
    }

    /**
     * After a failure, moves the cursor to the last batch every destination committed: its commits were not waited
     * for, so each destination first confirms them; if one cannot (its server is gone), the cursor stays where it is
     * and the next run reads those batches again.
     */
    private static void commitPendingCursor(TableRun run) {
        io.caravan.state.Cursor pending = run.pendingCursor();
        if (pending == null) {
            return;
        }
        try {
            for (AutoCloseable writer : run.writers()) {
                ((io.caravan.destination.Destination) writer).flush();
            }
            run.cursorStore().commit(run.job(), run.table().tableName(), pending);
            run.pendingCursor(null);
        } catch (RuntimeException e) {
            // the cursor stays at the last durable batch; the next run replays the rest, idempotently
        }
    }

    /** @return the first Caravan exception in the cause chain (it names job, table and destination), else the top */
    static Throwable rootCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("io.caravan.")) {
                return t;
            }
        }
        return e;
    }
}
