package io.caravan.source.mongo;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.caravan.mapping.TableSpec;
import io.caravan.source.FieldCasts;
import io.caravan.state.Cursor;
import io.caravan.state.TableState;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import static io.caravan.source.mongo.DocumentRows.ID;

/**
 * Decides what one run of a collection reads, from its mode and stored cursor, as {@code PgSource}'s
 * {@code ReadPlanner} does for tables:
 * <ul>
 *   <li>dumping: every document, by {@code _id}; no cursor;</li>
 *   <li>logging: documents with {@code _id} above the cursor's and at most the greatest {@code _id} when the run
 *       began, by {@code _id};</li>
 *   <li>syncing, initial phase: the same by {@code _id}, with initial cursors (a crash resumes after the last
 *       committed {@code _id}), then a catch-up read of documents with {@code bookmark >= the phase's ceiling} up to
 *       this run's ceiling; the last batch leaves an inclusive cursor at this run's ceiling;</li>
 *   <li>syncing, later runs: keyset on (bookmark, {@code _id}): {@code bookmark > b or (bookmark = b and
 *       _id > k)}, and {@code bookmark <= ceiling}, sorted by (bookmark, {@code _id}); with
 *       {@code buffer_updation_lag} or {@code grace_updation_lag}, every document with {@code bookmark >=
 *       least(cursor, last success - grace, ceiling - buffer)} (PgSource's rule).</li>
 * </ul>
 * Bookmarks are BSON dates (other values of the field are outside the read: a query on a date matches dates only).
 * With {@code improper_bookmarks: true} the bookmark is text holding timestamps ({@link FieldCasts#parseTimestamp};
 * without an offset, UTC): MongoDB cannot compare such text as time through an index, so the read walks the
 * collection by {@code _id} and keeps documents whose parsed bookmark lies between the lower bound (inclusive) and
 * the ceiling; only the end of such a read moves the cursor (to the ceiling, inclusive).
 *
 * <p>Cursor values: bookmarks as {@code yyyy-MM-dd HH:mm:ss.SSS+00} (BSON dates hold milliseconds), keys as the
 * canonical Extended JSON of a document holding the {@code _id}, e.g. {@code {"_id": {"$oid": "65f0..."}}}, so the
 * key's BSON type survives. Keyset reads on {@code _id} compare within one BSON type (MongoDB's query type
 * bracketing): a collection's {@code _id}s must share their type, as ObjectIds do.
 */
final class MongoReadPlanner {

    private static final DateTimeFormatter BOOKMARK = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS",
            Locale.ROOT);
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder()
            .outputMode(JsonMode.EXTENDED).build();

    private final TableSpec table;
    private final Object maxId;

    /**
     * @param table the collection's entry; never null
     * @param maxId the greatest {@code _id} when the run began; null when the collection was empty
     */
    MongoReadPlanner(TableSpec table, Object maxId) {
        this.table = table;
        this.maxId = maxId;
    }

    /**
     * @param state   the collection's stored state; {@link TableState#EMPTY} before its first run
     * @param ceiling the source clock at the run's start
     * @return the reads of the run, in order; never empty
     */
    List<MongoReadPlan> plan(TableState state, OffsetDateTime ceiling) {
        Cursor cursor = state.cursor();
        Bson byId = Sorts.ascending(ID);
        switch (table.mode()) {
            case DUMPING:
                return List.of(new MongoReadPlan(new Document(), byId, null, MongoReadPlan.Cursors.NONE, null, null,
                        null));
            case LOGGING:
                return List.of(new MongoReadPlan(idRange(cursor), byId, null, MongoReadPlan.Cursors.KEY, null, null,
                        null));
            default:
                if (cursor == null || cursor.phase() == Cursor.Phase.INITIAL) {
                    String initialCeiling = cursor == null ? text(ceiling) : cursor.initialCeiling();
                    MongoReadPlan initial = new MongoReadPlan(idRange(cursor), byId, null,
                            MongoReadPlan.Cursors.INITIAL, initialCeiling, null, null);
                    TableState atInitialCeiling = new TableState(Cursor.incremental(initialCeiling, null),
                            state.lastSuccessCeiling());
                    MongoReadPlan catchUp = incremental(atInitialCeiling, ceiling,
                            Cursor.incremental(text(ceiling), null));
                    return List.of(initial, catchUp);
                }
                return List.of(incremental(state, ceiling, null));
        }
    }

    /** {@code _id} above the cursor's key, up to the greatest {@code _id} when the run began. */
    private Bson idRange(Cursor cursor) {
        if (maxId == null) {
            return Filters.exists(ID, false);
        }
        Bson upTo = Filters.lte(ID, maxId);
        if (cursor == null || cursor.keyValue() == null) {
            return upTo;
        }
        return Filters.and(Filters.gt(ID, key(cursor.keyValue())), upTo);
    }

    private MongoReadPlan incremental(TableState state, OffsetDateTime ceiling, Cursor finalCursor) {
        Cursor cursor = state.cursor();
        String bookmark = table.bookmark();
        boolean lags = !table.bufferUpdationLag().isZero() || !table.graceUpdationLag().isZero();
        OffsetDateTime lower = lags ? lowerBound(state, ceiling) : timestamp(cursor.bookmarkValue());
        if (table.improperBookmarks()) {
            Predicate<Document> keep = d -> {
                OffsetDateTime t = bookmarkTime(d.get(bookmark));
                return t != null && !t.isBefore(lower) && !t.isAfter(ceiling);
            };
            return new MongoReadPlan(Filters.exists(bookmark), Sorts.ascending(ID), keep,
                    MongoReadPlan.Cursors.START, null, cursor,
                    finalCursor != null ? finalCursor : Cursor.incremental(text(ceiling), null));
        }
        Bson from;
        if (!lags && cursor.keyValue() != null) {
            Date b = date(lower);
            from = Filters.or(Filters.gt(bookmark, b), Filters.and(Filters.eq(bookmark, b),
                    Filters.gt(ID, key(cursor.keyValue()))));
        } else {
            from = Filters.gte(bookmark, date(lower));
        }
        Bson filter = Filters.and(from, Filters.lte(bookmark, date(ceiling)));
        return new MongoReadPlan(filter, Sorts.ascending(bookmark, ID), null, MongoReadPlan.Cursors.BOOKMARK, null,
                null, finalCursor);
    }

    /** @return least(cursor, last success - grace, ceiling - buffer), as PgSource's ReadPlanner computes it */
    private OffsetDateTime lowerBound(TableState state, OffsetDateTime ceiling) {
        List<OffsetDateTime> bounds = new ArrayList<>();
        bounds.add(timestamp(state.cursor().bookmarkValue()));
        if (state.lastSuccessCeiling() != null) {
            bounds.add(timestamp(state.lastSuccessCeiling()).minus(table.graceUpdationLag().toDuration()));
        }
        bounds.add(ceiling.minus(table.bufferUpdationLag().toDuration()));
        return bounds.stream().min(OffsetDateTime::compareTo).orElseThrow();
    }

    /**
     * @param value a bookmark field's value
     * @return the time it holds: a date, or text holding a timestamp; null for anything else
     */
    static OffsetDateTime bookmarkTime(Object value) {
        if (value instanceof Date d) {
            return d.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof String s) {
            return FieldCasts.parseTimestamp(s);
        }
        return null;
    }

    /** @return {@code t} as a cursor's bookmark text, {@code yyyy-MM-dd HH:mm:ss.SSS+00} */
    static String text(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(BOOKMARK) + "+00";
    }

    /**
     * @return the instant of a cursor's bookmark text or a stored ceiling
     * @throws IllegalStateException when the text is not a timestamp (a cursor written by another source type)
     */
    static OffsetDateTime timestamp(String text) {
        OffsetDateTime t = FieldCasts.parseTimestamp(text);
        if (t == null) {
            throw new IllegalStateException("stored bookmark '" + text + "' is not a timestamp");
        }
        return t;
    }

    private static Date date(OffsetDateTime t) {
        return Date.from(t.toInstant());
    }

    /** @return the cursor text of an {@code _id}: canonical Extended JSON of {@code {"_id": id}} */
    static String keyText(Object id) {
        return new Document(ID, id).toJson(CANONICAL);
    }

    /** @return the {@code _id} of a cursor's key text */
    static Object key(String text) {
        return Document.parse(text).get(ID);
    }
}
