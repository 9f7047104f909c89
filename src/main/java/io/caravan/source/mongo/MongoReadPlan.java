package io.caravan.source.mongo;

import io.caravan.state.Cursor;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.function.Predicate;

/**
 * One read of a run: a {@code find} and how each batch's cursor is formed.
 *
 * @param filter         the find's filter; never null
 * @param sort           the find's sort; never null
 * @param keep           documents to write among those the find returns (text bookmarks compared as timestamps);
 *                       null for all
 * @param cursors        how a batch's cursor is formed from its last document
 * @param initialCeiling during the initial phase: the source clock when it began, kept in its cursors; else null
 * @param startCursor    for {@link Cursors#START}: the cursor mid-run batches commit; else null
 * @param finalCursor    cursor the run's last batch commits when this is the run's last plan; null for the last
 *                       document's
 */
record MongoReadPlan(Bson filter, Bson sort, Predicate<Document> keep, Cursors cursors, String initialCeiling,
                     Cursor startCursor, Cursor finalCursor) {

    /** How batches of a plan form their cursor. */
    enum Cursors {
        /** No cursor (dumping). */
        NONE,
        /** The last {@code _id} (logging): {@code incremental(null, id)}. */
        KEY,
        /** The last {@code _id} of the initial phase: {@code initial(id, initialCeiling)}. */
        INITIAL,
        /** The last (bookmark, {@code _id}): {@code incremental(bookmark, id)}. */
        BOOKMARK,
        /**
         * The plan's start: documents come in {@code _id} order, not bookmark order, so only the end of the plan
         * moves the cursor (text bookmarks).
         */
        START
    }
}
