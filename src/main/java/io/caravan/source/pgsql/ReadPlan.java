package io.caravan.source.pgsql;

import io.caravan.state.Cursor;

/**
 * What one run reads and how each batch's cursor is formed.
 *
 * @param query          the SELECT to stream
 * @param bookmarkIndex  position of the bookmark in the select list; -1 when batches carry no bookmark
 * @param keyIndex       position of the primary key in the select list; -1 when batches carry no key
 * @param initialCeiling set during the initial phase: batches get initial cursors with this ceiling
 * @param finalCursor    cursor committed with the last batch instead of the last row's; null to use the last row's
 * @param previous       the cursor the run started from; null when none
 * @param bookmarkSuffix appended to a decoded bookmark's text: {@code +00} when a timestamptz bookmark is read as a
 *                       UTC timestamp ({@code strict: false}), else empty
 */
record ReadPlan(String query, int bookmarkIndex, int keyIndex, String initialCeiling, Cursor finalCursor,
                Cursor previous, String bookmarkSuffix) {
}
