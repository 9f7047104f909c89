package io.caravan.camel;

import io.caravan.batch.Batch;
import io.caravan.batch.TableRun;

/**
 * The route step {@code bean: {ref: bookmarks, method: commit}}, placed after the multicast to the destinations:
 * once every destination has committed the batch, commits the batch's cursor; after the last batch, records the
 * run's success. Only durable batches ({@link Batch#durable()}) move the cursor, so it never gets ahead of what the
 * destinations' disks hold. A crash before this step replays the batch, which every destination writes
 * idempotently.
 */
public class BookmarkStep {

    /** @param batch the exchange's body */
    public void commit(Batch batch) {
        TableRun run = batch.run();
        if (batch.cursorAfter() != null && batch.durable()) {
            run.cursorStore().commit(run.job(), run.table().tableName(), batch.cursorAfter());
            run.pendingCursor(null);
        } else if (batch.cursorAfter() != null) {
            run.pendingCursor(batch.cursorAfter());
        }
        if (batch.last()) {
            run.cursorStore().markSuccess(run.job(), run.table().tableName(), run.ceiling());
            run.succeed();
        }
    }
}
