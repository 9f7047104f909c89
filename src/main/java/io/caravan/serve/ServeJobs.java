package io.caravan.serve;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.TableSpec;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.ServeOptions;
import io.caravan.runtime.TableControl;
import io.caravan.state.Cursor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Serve mode's {@link JobControl}: the jobs of the runtime's mappings and the table routes running them. */
public final class ServeJobs implements JobControl {

    /** PostgreSQL's text form of timestamps: {@code 2024-05-01 10:00:00.123456+00}, fraction and zone optional. */
    private static final DateTimeFormatter PG_TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private final CaravanRuntime runtime;

    /** @param runtime a runtime in serve mode; never null */
    public ServeJobs(CaravanRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<JobView> jobs() {
        List<JobView> out = new ArrayList<>();
        for (Map.Entry<String, JobMapping> e : runtime.mappings().entrySet()) {
            out.add(view(e.getKey(), e.getValue()));
        }
        out.sort(Comparator.comparing(JobView::name));
        return out;
    }

    @Override
    public Optional<JobView> job(String name) {
        return jobs().stream().filter(j -> j.name().equals(name)).findFirst();
    }

    @Override
    public List<String> runNow(String job, String table) {
        JobMapping mapping = runtime.mappings().values().stream().filter(m -> m.name().equals(job)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no job named '" + job + "'"));
        List<TableSpec> tables = mapping.tables();
        if (table != null) {
            tables = tables.stream().filter(t -> t.tableName().equals(table)).toList();
            if (tables.isEmpty()) {
                throw new NoSuchElementException("job '" + job + "' has no table '" + table + "'");
            }
        }
        ServeOptions options = runtime.serveOptions();
        if (options != null && options.pastCutOff()) {
            throw new IllegalStateException("past the cut-off time " + options.cutOffTime() + "; runs start again at "
                    + options.resumesAt());
        }
        if (!runtime.leadership().holds(job)) {
            throw new IllegalStateException("job '" + job + "' is held by another process (cluster lock): run it"
                    + " there");
        }
        List<String> started = new ArrayList<>();
        boolean anyHere = false;
        for (TableSpec t : tables) {
            TableControl control = runtime.table(job, t.tableName());
            if (control != null) {
                anyHere = true;
                if (control.runNow("run-now")) {
                    started.add(t.tableName());
                }
            }
        }
        if (!anyHere) {
            throw new IllegalStateException("job '" + job + "' is not running in this process (another replica"
                    + " holds it, or its routes are stopped)");
        }
        return started;
    }

    private JobView view(String file, JobMapping mapping) {
        List<TableView> tables = new ArrayList<>();
        boolean active = false;
        for (TableSpec t : mapping.tables()) {
            TableControl control = runtime.table(mapping.name(), t.tableName());
            active |= control != null;
            tables.add(new TableView(t.tableName(), t.mode().wireValue(), t.cron(),
                    List.copyOf(mapping.destinations().keySet()), control != null && control.running(),
                    control == null ? null : control.nextRun(), lagSeconds(mapping.name(), t.tableName())));
        }
        active &= runtime.leadership().holds(mapping.name());
        return new JobView(mapping.name(), file, active, List.copyOf(tables));
    }

    /** @return seconds from the committed bookmark (a time) to now; null when it is not a time or there is none */
    private Double lagSeconds(String job, String table) {
        Cursor cursor;
        try {
            cursor = runtime.cursorStore().load(job, table).cursor();
        } catch (RuntimeException e) {
            return null;
        }
        Instant at = cursor == null ? null : bookmarkTime(cursor.bookmarkValue(), runtime.serveOptions());
        if (at == null) {
            return null;
        }
        Instant now = runtime.serveOptions() == null ? Instant.now() : runtime.serveOptions().clock().instant();
        return Duration.between(at, now).toMillis() / 1000.0;
    }

    /**
     * @param bookmark a committed bookmark value as the cursor store keeps it; may be null
     * @param options  the time zone of bookmarks without an offset; null for UTC
     * @return the bookmark as an instant; null when it is not a timestamp
     */
    static Instant bookmarkTime(String bookmark, ServeOptions options) {
        if (bookmark == null || bookmark.length() < 19) {
            return null;
        }
        try {
            var parsed = PG_TIMESTAMP.parseBest(bookmark.trim(), OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime o) {
                return o.toInstant();
            }
            return ((LocalDateTime) parsed).atZone(options == null ? java.time.ZoneOffset.UTC : options.zone())
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
