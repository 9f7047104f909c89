package io.caravan.state;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import io.caravan.state.RunRecord.DestinationRun;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link RunStore} in a MongoDB collection, the seed's {@code dashboard_store} ({@code url}, {@code db_name},
 * {@code collection_name}). One document per run, its {@code _id} the run's id, its destinations embedded:
 * <pre>
 * { _id, job, table, started, ended, status, attempt, rows_read, bytes_read, seconds, cursor_before,
 *   cursor_after, error, rows_written, rows_deleted, bytes,
 *   destinations: [ { destination, rows_written, rows_deleted, bytes, seconds }, ... ] }
 * </pre>
 * {@code started} and {@code ended} are BSON dates; {@code rows_written}, {@code rows_deleted} and {@code bytes} are
 * the sums over the destinations, kept for dashboards that read the collection directly. Indexes:
 * {@code (job, started desc)} and {@code (started desc)}.
 */
public final class MongoRunStore implements RunStore {

    /** Server selection timeout when the URL sets none: a store that is down fails a save in 5 s, not 30 s. */
    static final int SERVER_SELECTION_SECONDS = 5;
    private static final Pattern AUTH_SOURCE = Pattern.compile("[?&]authSource=([^&]+)");

    private final MongoClient client;
    private final MongoCollection<Document> runs;
    private final String description;
    private volatile boolean closed;

    private MongoRunStore(MongoClient client, MongoCollection<Document> runs, String description) {
        this.client = client;
        this.runs = runs;
        this.description = description;
    }

    /**
     * Connects, with the user and password of the URL if any, and creates the collection's indexes (when absent).
     *
     * @param url        {@code mongodb://} or {@code mongodb+srv://} connection string; never null
     * @param database   database name; never null
     * @param collection collection name; never null
     * @return the store
     * @throws StateException naming the URL (never its password) when it is malformed or the server cannot be reached
     */
    public static MongoRunStore open(String url, String database, String collection) {
        return open(url, null, null, database, collection);
    }

    /**
     * As {@link #open(String, String, String)}, with a user and password given apart from the URL.
     *
     * @param user     user, authenticated against the URL's {@code authSource} (default {@code admin}); null or empty
     *                 for the URL's own
     * @param password the user's password; null or empty for none
     */
    public static MongoRunStore open(String url, String user, String password, String database, String collection) {
        String description = "run store " + redact(url) + " (db " + database + ", collection " + collection + ")";
        MongoClient client = null;
        try {
            ConnectionString connection = new ConnectionString(url);
            MongoClientSettings.Builder settings = MongoClientSettings.builder().applyConnectionString(connection);
            if (user != null && !user.isEmpty()) {
                Matcher source = AUTH_SOURCE.matcher(url);
                settings.credential(MongoCredential.createCredential(user, source.find() ? source.group(1) : "admin",
                        (password == null ? "" : password).toCharArray()));
            }
            if (connection.getServerSelectionTimeout() == null) {
                settings.applyToClusterSettings(
                        c -> c.serverSelectionTimeout(SERVER_SELECTION_SECONDS, TimeUnit.SECONDS));
            }
            client = MongoClients.create(settings.build());
            MongoCollection<Document> runs = client.getDatabase(database).getCollection(collection);
            runs.createIndex(Indexes.compoundIndex(Indexes.ascending("job"), Indexes.descending("started")),
                    new IndexOptions().name("job_started"));
            runs.createIndex(Indexes.descending("started"), new IndexOptions().name("started"));
            return new MongoRunStore(client, runs, description);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            throw new StateException("cannot open the " + description + ": " + e.getMessage(), e);
        }
    }

    /** @return {@code url} with the password of its user info replaced by asterisks */
    static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1******@");
    }

    @Override
    public void save(RunRecord run) {
        Objects.requireNonNull(run, "run");
        checkOpen();
        try {
            runs.replaceOne(Filters.eq("_id", run.id()), document(run), new ReplaceOptions().upsert(true));
        } catch (MongoException e) {
            throw new StateException("cannot save run " + run.id() + " (job=" + run.job() + ", table=" + run.table()
                    + ") in the " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RunRecord> find(String id) {
        checkOpen();
        try {
            return Optional.ofNullable(runs.find(Filters.eq("_id", id)).first()).map(MongoRunStore::record);
        } catch (MongoException e) {
            throw new StateException("cannot find run " + id + " in the " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<RunRecord> list(String job, String table, String status, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more but was " + limit);
        }
        checkOpen();
        List<Bson> filters = new ArrayList<>();
        if (job != null) {
            filters.add(Filters.eq("job", job));
        }
        if (table != null) {
            filters.add(Filters.eq("table", table));
        }
        if (status != null) {
            filters.add(Filters.eq("status", status));
        }
        try {
            List<RunRecord> found = new ArrayList<>();
            runs.find(filters.isEmpty() ? new Document() : Filters.and(filters))
                    .sort(Sorts.descending("started", "_id"))
                    .limit(limit)
                    .forEach(d -> found.add(record(d)));
            return found;
        } catch (MongoException e) {
            throw new StateException("cannot list runs (job=" + job + ", table=" + table + ", status=" + status
                    + ") in the " + description + ": " + e.getMessage(), e);
        }
    }

    private static Document document(RunRecord run) {
        List<Document> destinations = new ArrayList<>();
        for (DestinationRun d : run.destinations()) {
            destinations.add(new Document("destination", d.destination()).append("rows_written", d.rowsWritten())
                    .append("rows_deleted", d.rowsDeleted()).append("bytes", d.bytes()).append("seconds", d.seconds()));
        }
        return new Document("_id", run.id())
                .append("job", run.job())
                .append("table", run.table())
                .append("started", date(run.started()))
                .append("ended", date(run.ended()))
                .append("status", run.status())
                .append("attempt", run.attempt())
                .append("rows_read", run.rowsRead())
                .append("bytes_read", run.bytesRead())
                .append("seconds", run.seconds())
                .append("cursor_before", run.cursorBefore())
                .append("cursor_after", run.cursorAfter())
                .append("error", run.error())
                .append("rows_written", run.rowsWritten())
                .append("rows_deleted", run.rowsDeleted())
                .append("bytes", run.bytes())
                .append("destinations", destinations);
    }

    private static RunRecord record(Document d) {
        List<DestinationRun> destinations = new ArrayList<>();
        for (Document e : d.getList("destinations", Document.class, List.of())) {
            destinations.add(new DestinationRun(e.getString("destination"), number(e, "rows_written"),
                    number(e, "rows_deleted"), number(e, "bytes"), decimal(e, "seconds")));
        }
        return new RunRecord(d.getString("_id"), d.getString("job"), d.getString("table"), instant(d, "started"),
                instant(d, "ended"), d.getString("status"), (int) number(d, "attempt"), number(d, "rows_read"),
                number(d, "bytes_read"), decimal(d, "seconds"), d.getString("cursor_before"),
                d.getString("cursor_after"), d.getString("error"), List.copyOf(destinations));
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    private static Instant instant(Document d, String key) {
        Date date = d.getDate(key);
        return date == null ? null : date.toInstant();
    }

    /** @return the whole number at {@code key} (int32 or int64 in BSON); 0 when absent */
    private static long number(Document d, String key) {
        Object value = d.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static double decimal(Document d, String key) {
        Object value = d.get(key);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new StateException("the " + description + " is closed", null);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
