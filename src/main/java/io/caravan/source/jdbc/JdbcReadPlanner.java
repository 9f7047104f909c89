package io.caravan.source.jdbc;

import io.caravan.batch.TableShape;
import io.caravan.destination.jdbc.PgType;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.mapping.Lag;
import io.caravan.mapping.TableSpec;
import io.caravan.source.jdbc.JdbcReadPlan.Condition;
import io.caravan.state.Cursor;
import io.caravan.state.TableState;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what one run of a relational source table reads, from its mode and stored cursor, by the rules of the
 * PostgreSQL source ({@code io.caravan.source.pgsql.ReadPlanner}, see {@code PgSource}): dumping reads every row
 * unordered; logging reads keys above the cursor; syncing and mirroring read the initial phase by key (resumable,
 * ending in an inclusive cursor at the phase's ceiling, followed in the same run by a catch-up pass), then
 * {@code (bookmark, key) > cursor} and {@code bookmark <= ceiling} by (bookmark, key); with lags, or with a coarse
 * bookmark (a date, a timestamp of less than microsecond precision), every row with {@code bookmark >= least(cursor,
 * last success - grace, ceiling - buffer)} and no key in the cursor.
 *
 * <p>Unlike PostgreSQL's planner, bounds are computed here in Java, from the source's clock: a {@code timestamp}
 * (or date) bookmark is compared in the source's wall clock, UTC plus the offset the source's clock showed when the
 * run began (a time-zone change within a lag window is not accounted for).
 */
final class JdbcReadPlanner {

    private static final Pattern OFFSET = Pattern.compile("([+-]\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?$");

    private final TableSpec table;
    private final TableShape shape;
    private final SourceDialect dialect;
    private final List<String> sourceNames;
    private final int bookmarkIndex;
    private final PgType.Kind bookmarkKind;
    private final boolean coarse;
    private final Duration sourceOffset;

    /**
     * @param table        the table spec
     * @param shape        the columns as read
     * @param dialect      the source's dialect
     * @param sourceNames  per shape column, the source column's name
     * @param bookmarkKind the bookmark's type as the source holds it (DATE, TIMESTAMP or TIMESTAMPTZ); null without
     * @param coarse       true when the bookmark cannot tell apart changes made in the same microsecond
     * @param sourceOffset the source's local clock minus UTC
     */
    JdbcReadPlanner(TableSpec table, TableShape shape, SourceDialect dialect, List<String> sourceNames,
                    PgType.Kind bookmarkKind, boolean coarse, Duration sourceOffset) {
        this.table = table;
        this.shape = shape;
        this.dialect = dialect;
        this.sourceNames = sourceNames;
        this.bookmarkIndex = table.bookmark() == null ? -1
                : shape.indexOf(table.bookmark().toLowerCase(java.util.Locale.ROOT));
        this.bookmarkKind = bookmarkKind;
        this.coarse = coarse;
        this.sourceOffset = sourceOffset;
    }

    /**
     * @param state   the table's stored state
     * @param ceiling the source clock at the run's start (timestamptz literal)
     * @return the reads of the run, in order; never empty
     */
    List<JdbcReadPlan> plan(TableState state, String ceiling) {
        Cursor cursor = state.cursor();
        int keyIndex = shape.primaryKey().isEmpty() ? -1 : shape.indexOf(shape.primaryKey().get(0));
        switch (table.mode()) {
            case DUMPING:
                return List.of(new JdbcReadPlan(List.of(), List.of(), List.of(), -1, -1, null, null, null));
            case LOGGING:
                return List.of(new JdbcReadPlan(keyAbove(cursor, keyIndex), List.of(), List.of(keyIndex), -1,
                        keyIndex, null, null, cursor));
            default:
                if (cursor == null || cursor.phase() == Cursor.Phase.INITIAL) {
                    String initialCeiling = cursor == null ? ceiling : cursor.initialCeiling();
                    JdbcReadPlan initial = new JdbcReadPlan(keyAbove(cursor, keyIndex), List.of(), List.of(keyIndex),
                            -1, keyIndex, initialCeiling, Cursor.incremental(text(bookmarkAt(initialCeiling)), null),
                            cursor);
                    JdbcReadPlan incremental = incremental(new TableState(initial.finalCursor(),
                            state.lastSuccessCeiling()), ceiling, keyIndex);
                    JdbcReadPlan catchUp = new JdbcReadPlan(incremental.start(), incremental.fixed(),
                            incremental.order(), incremental.bookmarkIndex(), incremental.keyIndex(), null,
                            Cursor.incremental(text(bookmarkAt(ceiling)), null), cursor);
                    return List.of(initial, catchUp);
                }
                return List.of(incremental(state, ceiling, keyIndex));
        }
    }

    private List<Condition> keyAbove(Cursor cursor, int keyIndex) {
        if (cursor == null || cursor.keyValue() == null) {
            return List.of();
        }
        return List.of(new Condition(column(keyIndex) + " > ?", List.of(parse(cursor.keyValue(), kind(keyIndex)))));
    }

    private JdbcReadPlan incremental(TableState state, String ceiling, int keyIndex) {
        Cursor cursor = state.cursor();
        Object cursorBookmark = parse(cursor.bookmarkValue(), bookmarkKind);
        boolean lags = !table.bufferUpdationLag().isZero() || !table.graceUpdationLag().isZero();
        List<Condition> start = new ArrayList<>();
        if (!lags && !coarse && cursor.keyValue() != null) {
            SourceDialect.Condition after = dialect.after(List.of(column(bookmarkIndex), column(keyIndex)));
            List<Object> values = List.of(cursorBookmark, parse(cursor.keyValue(), kind(keyIndex)));
            start.add(new Condition(after.sql(), after.params().stream().map(values::get).toList()));
        } else {
            Object lower = cursorBookmark;
            if (lags) {
                if (state.lastSuccessCeiling() != null) {
                    lower = least(lower, bookmarkAt(instant(state.lastSuccessCeiling())
                            .minus(duration(table.graceUpdationLag()))));
                }
                lower = least(lower, bookmarkAt(instant(ceiling).minus(duration(table.bufferUpdationLag()))));
            }
            start.add(new Condition(column(bookmarkIndex) + " >= ?", List.of(lower)));
        }
        List<Condition> fixed = List.of(new Condition(column(bookmarkIndex) + " <= ?", List.of(bookmarkAt(ceiling))));
        return new JdbcReadPlan(start, fixed, List.of(bookmarkIndex, keyIndex), bookmarkIndex, coarse ? -1 : keyIndex,
                null, null, cursor);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object least(Object a, Object b) {
        return ((Comparable) a).compareTo(b) <= 0 ? a : b;
    }

    private static Duration duration(Lag lag) {
        return Duration.ofDays(lag.days()).plusHours(lag.hours()).plusMinutes(lag.minutes());
    }

    private String column(int index) {
        return dialect.quote(sourceNames.get(index));
    }

    private PgType.Kind kind(int index) {
        return PgType.parse(shape.columns().get(index).sqlType()).kind();
    }

    private Object bookmarkAt(String timestamptz) {
        return bookmarkAt(instant(timestamptz));
    }

    /** @return the instant as a bookmark value: at UTC for timestamptz, else the source's wall clock */
    private Object bookmarkAt(OffsetDateTime instant) {
        OffsetDateTime utc = instant.withOffsetSameInstant(ZoneOffset.UTC);
        return switch (bookmarkKind) {
            case TIMESTAMPTZ -> utc;
            case DATE -> utc.toLocalDateTime().plus(sourceOffset).toLocalDate();
            default -> utc.toLocalDateTime().plus(sourceOffset);
        };
    }

    /** @return PostgreSQL's text of a value, as cursors keep it */
    static String text(Object value) {
        return PgBinaryCodec.toText(value);
    }

    /** @return a timestamptz literal ({@code 2024-05-01 10:00:00.5+00}) as an instant; no offset means UTC */
    static OffsetDateTime instant(String text) {
        Object v = parse(text, PgType.Kind.TIMESTAMPTZ);
        return (OffsetDateTime) v;
    }

    /**
     * @param text a cursor's text of a key or bookmark (PostgreSQL's text form)
     * @param kind the value's PostgreSQL type
     * @return the Java value to bind: Short, Integer, Long, BigDecimal, UUID, LocalDate, LocalDateTime,
     *         OffsetDateTime (at UTC when the text has no offset) or the text itself
     */
    static Object parse(String text, PgType.Kind kind) {
        if (text == null) {
            return null;
        }
        return switch (kind) {
            case SMALLINT -> Short.parseShort(text);
            case INTEGER -> Integer.parseInt(text);
            case BIGINT -> Long.parseLong(text);
            case NUMERIC -> new BigDecimal(text);
            case UUID -> UUID.fromString(text);
            case DATE -> LocalDate.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(withoutOffset(text).replace(' ', 'T'));
            case TIMESTAMPTZ -> {
                Matcher m = OFFSET.matcher(text);
                String local = text;
                ZoneOffset offset = ZoneOffset.UTC;
                if (text.length() > 19 && m.find(19)) {
                    local = text.substring(0, m.start());
                    offset = ZoneOffset.ofHoursMinutesSeconds(Integer.parseInt(m.group(1)),
                            sign(m.group(1)) * (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))),
                            sign(m.group(1)) * (m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
                }
                yield LocalDateTime.parse(local.replace(' ', 'T')).atOffset(offset)
                        .withOffsetSameInstant(ZoneOffset.UTC);
            }
            default -> text;
        };
    }

    private static int sign(String hours) {
        return hours.startsWith("-") ? -1 : 1;
    }

    private static String withoutOffset(String text) {
        Matcher m = OFFSET.matcher(text);
        return text.length() > 19 && m.find(19) ? text.substring(0, m.start()) : text;
    }
}
