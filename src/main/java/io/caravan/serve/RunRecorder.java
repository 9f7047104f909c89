package io.caravan.serve;

import io.caravan.batch.TableRun;
import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;
import io.caravan.runtime.RunListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Records every table run in a {@link RunStore}: {@link RunRecord#of} the run when it starts (status
 * {@code running}) and again when it ends, replacing the first record. The store is written on the run's thread, so a
 * run's record is there once its listeners have returned. A store that fails (down, closed, full) is logged at WARN
 * with the run's job, table and id (the stack trace at DEBUG), and never fails the run: the run goes on without its
 * statistics.
 */
public final class RunRecorder implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private final RunStore store;

    /** @param store where runs are saved; never null; closed by its owner, not by the recorder */
    public RunRecorder(RunStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void started(TableRun run) {
        save(run, "start");
    }

    @Override
    public void finished(TableRun run) {
        save(run, "end");
    }

    private void save(TableRun run, String when) {
        try {
            store.save(RunRecord.of(run));
        } catch (RuntimeException e) {
            // one line per failure: a store that is down fails every save, and the message names the cause
            LOG.warn("Run statistics: cannot record the {} of run {} (job {}, table {}); the run goes on: {}", when,
                    safe(run::id), safe(run::job), safe(() -> run.table().tableName()), e.toString());
            LOG.debug("Run statistics: the failure's stack trace", e);
        }
    }

    /** @return the value, or {@code ?} when even reading it fails (a run half built) */
    private static String safe(Supplier<String> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
