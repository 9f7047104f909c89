package io.caravan.batch;

import io.caravan.state.Cursor;

import java.util.List;

/**
 * Rows read together from one source table and written and committed together with their cursor
 * ({@code batch_size} rows at most). This is the body of the exchanges a table route's split produces.
 */
public final class Batch {

    private final TableRun run;
    private final int sequence;
    private final boolean last;
    private final Cursor cursorAfter;
    private final boolean durable;
    private volatile List<BatchPart> parts;

    /**
     * @param run         the run the batch belongs to; never null
     * @param sequence    position in the run, from 1
     * @param last        true for the run's last batch (which may be empty)
     * @param cursorAfter the cursor to commit once every destination has written the batch; null when the mode keeps
     *                    no cursor (dumping) or the batch moves nothing
     * @param durable     true when destinations must make this batch durable before they return (a synchronous
     *                    commit, which also makes every earlier batch of the run durable); only durable batches
     *                    move the cursor. The last batch is always durable.
     * @param parts       rows per destination table; never null
     */
    public Batch(TableRun run, int sequence, boolean last, Cursor cursorAfter, boolean durable,
                 List<BatchPart> parts) {
        this.run = run;
        this.sequence = sequence;
        this.last = last;
        this.cursorAfter = cursorAfter;
        this.durable = durable || last;
        this.parts = List.copyOf(parts);
    }

    /** @return the run the batch belongs to; never null */
    public TableRun run() {
        return run;
    }

    /** @return position of the batch in its run, from 1 */
    public int sequence() {
        return sequence;
    }

    /** @return true for the run's last batch (which may be empty) */
    public boolean last() {
        return last;
    }

    /**
     * @return true when destinations commit this batch durably (and so every earlier one); a batch that is not
     *         durable may be lost by a destination server that crashes within a second of its commit, so its cursor
     *         is not committed: a crash replays it instead
     */
    public boolean durable() {
        return durable;
    }

    /** @return the cursor to commit after every destination wrote the batch; null when none moves */
    public Cursor cursorAfter() {
        return cursorAfter;
    }

    /** @return rows per destination table; never null */
    public List<BatchPart> parts() {
        return parts;
    }

    /**
     * Replaces the rows, as {@code process_dict} and {@code get_table_name} steps do.
     *
     * @param newParts rows per destination table; never null
     */
    public void replaceParts(List<BatchPart> newParts) {
        this.parts = List.copyOf(newParts);
    }

    /** @return rows in all parts */
    public int rowCount() {
        return parts.stream().mapToInt(p -> p.rows().rowCount()).sum();
    }

    @Override
    public String toString() {
        return "Batch[" + run.job() + "." + run.table().tableName() + " #" + sequence + ", " + rowCount() + " rows"
                + (last ? ", last" : "") + "]";
    }
}
