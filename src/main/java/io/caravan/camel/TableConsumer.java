package io.caravan.camel;

import io.caravan.batch.TableRun;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.RunTracker;
import io.caravan.source.BatchStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * Runs the table once per poll: starts a run, hands the batches to the route, and records the outcome. A failure
 * never escapes as a stack trace: it is recorded on the run, whose summary names the job, table and destination.
 */
public class TableConsumer extends ScheduledPollConsumer {

    /** Exchange property holding the {@link TableRun}. */
    public static final String RUN_PROPERTY = "CaravanRun";

    private final TableEndpoint endpoint;

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

    @Override
    protected void doStart() throws Exception {
        CaravanRuntime runtime = runtime();
        if (runtime == null) {
            throw new IllegalStateException("no " + CaravanRuntime.BEAN + " bean: run routes with 'caravan run'");
        }
        runtime.tracker().expect(key());
        super.doStart();
    }

    @Override
    protected int poll() {
        CaravanRuntime runtime = runtime();
        RunTracker tracker = runtime.tracker();
        TableRun run;
        try {
            run = runtime.newRun(endpoint.getMapping(), endpoint.getTable(), endpoint.getBatchSize());
        } catch (RuntimeException e) {
            tracker.failedToStart(key(), endpoint.getMapping() + " table " + endpoint.getTable() + ": "
                    + e.getMessage());
            return 0;
        }
        tracker.started(key(), run);
        Exchange exchange = createExchange(false);
        try {
            BatchStream batches = runtime.source(run).read(run);
            exchange.getIn().setBody(batches);
            exchange.setProperty(RUN_PROPERTY, run);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                run.fail(rootCause(exchange.getException()));
            } else if (run.status() == TableRun.Status.RUNNING) {
                run.succeed();
            }
        } catch (Exception e) {
            run.fail(rootCause(e));
        } finally {
            if (run.status() == TableRun.Status.FAILED) {
                commitPendingCursor(run);
            }
            run.close();
            releaseExchange(exchange, false);
            tracker.finished(key(), run);
        }
        return 1;
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
