package io.caravan.camel;

import io.caravan.batch.Batch;
import io.caravan.batch.TableRun;
import io.caravan.runtime.ServeOptions;
import io.caravan.source.BatchStream;

/**
 * The batches of a run, ended early at a batch boundary once the run is asked to stop (its route stops) or, in serve
 * mode, the cut-off time has passed: the batch in flight is written and its cursor committed as usual, and no
 * further batch is taken from the source. The run then ends {@link TableRun.Status#STOPPED} or
 * {@link TableRun.Status#CUT_OFF}.
 */
final class CutOffBatches implements BatchStream {

    private final BatchStream batches;
    private final TableRun run;
    private final ServeOptions options;

    /**
     * @param batches the source's batches; never null
     * @param run     their run; never null
     * @param options the cut-off rule and clock; null under {@code caravan run} (no cut-off)
     */
    CutOffBatches(BatchStream batches, TableRun run, ServeOptions options) {
        this.batches = batches;
        this.run = run;
        this.options = options;
    }

    @Override
    public boolean hasNext() {
        if (options != null && !run.stopRequested() && options.pastCutOff()) {
            run.requestStop(TableRun.Status.CUT_OFF);
        }
        return !run.stopRequested() && batches.hasNext();
    }

    @Override
    public Batch next() {
        return batches.next();
    }

    @Override
    public void close() {
        batches.close();
    }
}
