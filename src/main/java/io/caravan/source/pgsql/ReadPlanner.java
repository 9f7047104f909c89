package io.caravan.source.pgsql;

import io.caravan.batch.TableShape;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.mapping.Lag;
import io.caravan.mapping.TableSpec;
import io.caravan.state.Cursor;
import io.caravan.state.TableState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what one run of a table reads, from its mode and stored cursor (see {@link PgSource} for the rules), and
 * how each batch's cursor is formed. Bounds on the bookmark are computed by the source itself, in the bookmark's
 * own type: a timestamp without time zone or a date is the wall clock of the source database's time zone.
 */
final class ReadPlanner {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final int TIMESTAMP_OID = 1114;

    private final TableSpec table;
    private final TableShape shape;
    private final String qualifiedTable;
    private final List<String> selects;
    private final String keyType;
    private final String bookmarkType;
    private final String sourceZone;
    private final Connection control;

    /**
     * @param table          the table spec
     * @param shape          the columns as read
     * @param qualifiedTable the quoted source table
     * @param selects        the select list
     * @param keyType        the key's SQL type; null without a key
     * @param bookmarkType   the type bookmarks compare in; null without a bookmark
     * @param sourceZone     the source database's time zone
     * @param control        a connection to the source, in UTC, for computing bounds
     */
    ReadPlanner(TableSpec table, TableShape shape, String qualifiedTable, List<String> selects, String keyType,
                String bookmarkType, String sourceZone, Connection control) {
        this.table = table;
        this.shape = shape;
        this.qualifiedTable = qualifiedTable;
        this.selects = selects;
        this.keyType = keyType;
        this.bookmarkType = bookmarkType;
        this.sourceZone = sourceZone;
        this.control = control;
    }

    /** @return {@code timestamptz} (an expression) as a bookmark value, in the source's time zone where local */
    private String asBookmark(String timestamptz) {
        return SQL.asBookmark(timestamptz, bookmarkType(), sourceZone);
    }

    /**
     * @return true when the bookmark cannot tell apart changes made in the same microsecond: dates, timestamps of
     *         lower precision, text. Such bookmarks are read from an inclusive bound with no key (every row
     *         sharing the last value is read again), as a later change may bring another row to that same value.
     */
    private boolean coarseBookmark() {
        String type = bookmarkType();
        return table.improperBookmarks() || type.equals("date") || type.matches("timestamp\\([0-5]\\).*");
    }

    /**
     * @param state   the table's stored state; {@link TableState#EMPTY} before its first run
     * @param ceiling the source clock at the run's start (timestamptz literal)
     * @return the reads of the run, in order; never empty
     * @throws SQLException when a bound cannot be computed on the source
     */
    List<ReadPlan> plan(TableState state, String ceiling) throws SQLException {
        Cursor cursor = state.cursor();
        String key = shape.primaryKey().isEmpty() ? null : shape.primaryKey().get(0);
        int keyIndex = key == null ? -1 : shape.indexOf(key);
        switch (table.mode()) {
            case DUMPING:
                return List.of(new ReadPlan(SQL.select(qualifiedTable, selects, List.of(), List.of()), -1, -1, null, null,
                        null, ""));
            case LOGGING: {
                List<String> where = cursor == null || cursor.keyValue() == null ? List.of()
                        : List.of(SQL.quote(key) + " > " + SQL.literal(cursor.keyValue(), keyType));
                String q = SQL.select(qualifiedTable, selects, where, List.of(column(key)));
                return List.of(new ReadPlan(q, -1, keyIndex, null, null, cursor, ""));
            }
            default:
                return cursor == null || cursor.phase() == Cursor.Phase.INITIAL
                        ? initialPlans(state, ceiling, selects, key, keyIndex)
                        : List.of(incrementalPlan(state, ceiling, selects, key, keyIndex));
        }
    }

    /**
     * The initial phase, then a catch-up pass in the same run: rows updated since the phase began (a resumed phase
     * may have begun runs ago) have {@code bookmark >= initial ceiling} and are read by (bookmark, key) up to this
     * run's ceiling, so the run ends with every row up to its ceiling written, and an inclusive cursor there.
     */
    private List<ReadPlan> initialPlans(TableState state, String ceiling, List<String> selects, String key,
                                        int keyIndex) throws SQLException {
        Cursor cursor = state.cursor();
        ReadPlan initial = initialPlan(cursor, ceiling, selects, key, keyIndex);
        String bookmarkAtCeiling = queryString(control, "SELECT " + asBookmark(SQL.literal(ceiling,
                "timestamp with time zone")) + "::text");
        TableState atInitialCeiling = new TableState(initial.finalCursor(), state.lastSuccessCeiling());
        ReadPlan incremental = incrementalPlan(atInitialCeiling, ceiling, selects, key, keyIndex);
        ReadPlan catchUp = new ReadPlan(incremental.query(), incremental.bookmarkIndex(), incremental.keyIndex(), null,
                Cursor.incremental(bookmarkAtCeiling, null), cursor, incremental.bookmarkSuffix());
        return List.of(initial, catchUp);
    }

    private ReadPlan initialPlan(Cursor cursor, String ceiling, List<String> selects, String key, int keyIndex)
            throws SQLException {
        String initialCeiling = cursor == null ? ceiling : cursor.initialCeiling();
        List<String> where = cursor == null || cursor.keyValue() == null ? List.of()
                : List.of(SQL.quote(key) + " > " + SQL.literal(cursor.keyValue(), keyType));
        String q = SQL.select(qualifiedTable, selects, where, List.of(column(key)));
        String bookmarkAtCeiling = queryString(control, "SELECT " + asBookmark(SQL.literal(initialCeiling,
                "timestamp with time zone")) + "::text");
        return new ReadPlan(q, -1, keyIndex, initialCeiling, Cursor.incremental(bookmarkAtCeiling, null), cursor, "");
    }

    private ReadPlan incrementalPlan(TableState state, String ceiling, List<String> selects, String key,
                                     int keyIndex) throws SQLException {
        Cursor cursor = state.cursor();
        String type = bookmarkType();
        String bookmark = table.improperBookmarks() ? SQL.improperBookmark(table.bookmark()) : column(table.bookmark());
        String cursorLiteral = SQL.literal(cursor.bookmarkValue(), type);
        boolean coarse = coarseBookmark();
        List<String> where = new ArrayList<>();
        boolean lags = !table.bufferUpdationLag().isZero() || !table.graceUpdationLag().isZero();
        if (!lags && !coarse && cursor.keyValue() != null) {
            where.add(SQL.after(bookmark, cursorLiteral, SQL.quote(key), SQL.literal(cursor.keyValue(), keyType)));
        } else {
            String lower = lags ? lowerBound(lowerBounds(state, ceiling, cursorLiteral)) : cursor.bookmarkValue();
            where.add(bookmark + " >= " + SQL.literal(lower, type));
        }
        where.add(bookmark + " <= " + asBookmark(SQL.literal(ceiling, "timestamp with time zone")));
        String q = SQL.select(qualifiedTable, selects, where, List.of(bookmark, column(key)));
        int bookmarkIndex = shape.indexOf(table.bookmark());
        boolean utc = !table.improperBookmarks() && shape.columns().get(bookmarkIndex).typeOid() == TIMESTAMP_OID
                && type.equals("timestamp with time zone");
        return new ReadPlan(q, bookmarkIndex, coarse ? -1 : keyIndex, null, null, cursor, utc ? "+00" : "");
    }

    /** @return the cursor's bookmark and the lag-widened bounds, as bookmark values */
    private List<String> lowerBounds(TableState state, String ceiling, String cursorLiteral) {
        List<String> bounds = new ArrayList<>(List.of(cursorLiteral));
        if (state.lastSuccessCeiling() != null) {
            bounds.add(asBookmark(SQL.literal(state.lastSuccessCeiling(), "timestamp with time zone") + " - "
                    + SQL.literal(interval(table.graceUpdationLag()), "interval")));
        }
        bounds.add(asBookmark(SQL.literal(ceiling, "timestamp with time zone") + " - "
                + SQL.literal(interval(table.bufferUpdationLag()), "interval")));
        return bounds;
    }

    /**
     * @return a column of the source table itself, qualified: in ORDER BY a bare name would mean the output column
     *         of that name, which may be cast (a key of a user-defined type is read as text, and text sorts
     *         differently)
     */
    private String column(String name) {
        return qualifiedTable + "." + SQL.quote(name);
    }

    /**
     * @return the least of the bounds as text. Text bookmarks ({@code improper_bookmarks}) without an offset are
     *         timestamps of the source database's time zone, so they are compared in that zone, as the reads do.
     */
    private String lowerBound(List<String> bounds) throws SQLException {
        if (!table.improperBookmarks()) {
            return queryString(control, SQL.lowerBound(bounds));
        }
        try (Statement s = control.createStatement()) {
            s.execute("SET TIME ZONE " + SQL.literal(sourceZone, "text"));
            try {
                return queryString(control, SQL.lowerBound(bounds));
            } finally {
                s.execute("SET TIME ZONE 'UTC'");
            }
        }
    }

    private static String interval(Lag lag) {
        return lag.days() + " days " + lag.hours() + " hours " + lag.minutes() + " minutes";
    }

    /** @return the type bookmarks are compared in: the column's source type, or timestamptz for text bookmarks */
    private String bookmarkType() {
        return bookmarkType;
    }

    /** @return the first column of the first row of {@code sql} as text */
    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

}
