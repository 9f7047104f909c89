package io.caravan.camel;

import io.caravan.batch.Batch;
import io.caravan.batch.TableRun;
import io.caravan.runtime.ServeOptions;
import io.caravan.source.BatchStream;

/**
 * The batches of a run in serve mode, ended early at a batch boundary once the cut-off time has passed (or the run
 * was asked to stop): the batch in flight is written and its cursor committed as usual, and no further batch is
 * taken from the source. The run then ends {@link TableRun.Status#CUT_OFF}.
 */
final class CutOffBatches implements BatchStream {

    private final BatchStream batches;
    private final TableRun run;
    private final ServeOptions options;

    /**
     * @param batches the source's batches; never null
     * @param run     their run; never null
     * @param options the cut-off rule and clock; never null
     */
    CutOffBatches(BatchStream batches, TableRun run, ServeOptions options) {
        this.batches = batches;
        this.run = run;
        this.options = options;
    }

    @Override
    public boolean hasNext() {
        if (!run.stopRequested() && options.pastCutOff()) {
            run.requestStop();
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
