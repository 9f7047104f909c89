package io.caravan.source.jdbc;

import io.caravan.state.Cursor;

import java.util.List;

/**
 * What one read of a run selects, page by page, and how each batch's cursor is formed (the rules of
 * {@code io.caravan.source.pgsql.ReadPlan}).
 *
 * @param start          conditions of the first page; never null
 * @param fixed          conditions of every page (the ceiling); never null
 * @param order          shape indices of the ORDER BY columns, the last one the unique key; empty for one unordered,
 *                       unpaged query (dumping)
 * @param bookmarkIndex  shape index of the bookmark; -1 when batches carry no bookmark
 * @param keyIndex       shape index of the key; -1 when batches carry no key
 * @param initialCeiling set during the initial phase: batches get initial cursors with this ceiling
 * @param finalCursor    cursor committed with the run's last batch instead of its last row's; null for the last row's
 * @param previous       the cursor the run started from; null when none
 */
record JdbcReadPlan(List<Condition> start, List<Condition> fixed, List<Integer> order, int bookmarkIndex,
                    int keyIndex, String initialCeiling, Cursor finalCursor, Cursor previous) {

    /**
     * One condition with its values.
     *
     * @param sql    the condition, with placeholders
     * @param values one value per placeholder (Java values {@link SourceDialect#bind} takes)
     */
    record Condition(String sql, List<Object> values) {
    }
}
