package io.caravan.source.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.mapping.PartitionFormat;
import io.caravan.mapping.SourceOptions;
import io.caravan.mapping.SourceSpec;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.FieldCasts;
import io.caravan.source.Source;
import io.caravan.source.SourceException;
import io.caravan.state.TableState;
import org.bson.Document;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A MongoDB collection as a source ({@code source_type: mongo}; DMS seed, "Collections"), read through the official
 * synchronous driver ({@code mongodb-driver-sync}) that camel-mongodb brings, at the version Camel is built with.
 * The driver is used directly rather than through a {@code mongodb:} endpoint: the component's consumers tail a
 * capped collection or a change stream, and its {@code findAll} producer returns one page per exchange, while a run
 * here is one keyset-ordered read streamed into batches with its own cursor (see {@link MongoReadPlanner}); the
 * component adds nothing to that but an exchange per page.
 *
 * <p>A run:
 * <ol>
 *   <li>reads the source clock, the run's ceiling: the server's {@code localTime} from the {@code hello} command
 *       (or {@code isMaster}, its older name, or {@code serverStatus}), else this machine's clock (a server that
 *       answers none);</li>
 *   <li>plans its reads from the mode and the stored cursor ({@link MongoReadPlanner}); logging and initial reads
 *       stop at the greatest {@code _id} found now, so documents inserted during the run wait for the next one;</li>
 *   <li>finds the run's shape by a first pass over the very documents it will read: the union of their top-level
 *       field names, plus the declared {@code fields} ({@link DocumentRows} gives the rule for columns and types).
 *       The server sends those documents twice; memory holds only the field names. A field that first appears in a
 *       document after the first pass (written while the run reads) fails the run with a message naming it: the
 *       batches before it are committed and the next run's first pass adds the column. New fields in later runs
 *       become new columns: the pgsql destination adds missing columns at a run's start. A {@code partition_col}
 *       that {@code fields} does not declare is cast as its {@code partition_col_format} says ({@link #fields});</li>
 *   <li>streams the documents as rows in batches of {@code batch_size} ({@link MongoBatchStream}).</li>
 * </ol>
 * Connection: {@code url} is a {@code mongodb://} or {@code mongodb+srv://} URI, or {@code host[:port]};
 * {@code username} and {@code password}, when given and the URI holds no credentials, authenticate against the
 * URI's {@code authSource}, else {@code admin}.
 */
public final class MongoSource implements Source {

    private final SourceSpec spec;
    private final TableSpec table;

    /**
     * @param spec  the mapping's source; never null
     * @param table the collection to read ({@code tableName} is the collection's name); never null
     */
    public MongoSource(SourceSpec spec, TableSpec table) {
        this.spec = spec;
        this.table = table;
    }

    @Override
    public BatchStream read(TableRun run) {
        try {
            MongoClient client = MongoClients.create(settings());
            run.register(client);
            MongoDatabase db = client.getDatabase(spec.dbName());
            MongoCollection<Document> collection = db.getCollection(table.tableName());
            OffsetDateTime ceiling = clock(client);
            Object maxId = maxId(collection);
            TableState state = run.cursorStore().load(run.job(), table.tableName());
            List<MongoReadPlan> plans = new MongoReadPlanner(table, maxId).plan(state, ceiling);
            FieldCasts casts = new FieldCasts(fields(table));
            Map<String, Boolean> found = new HashMap<>();
            long documents = firstPass(collection, plans, found);
            TableShape shape = DocumentRows.shape(found, casts, table.strict());
            run.begin(shape, MongoReadPlanner.text(ceiling), null);
            run.estimate(documents);
            run.castFallbacks(casts::fallbacksByField);
            MongoBatchStream stream = new MongoBatchStream(run, collection, plans, new DocumentRows(shape, casts));
            run.register(stream);
            stream.start();
            return stream;
        } catch (MongoException | IllegalArgumentException | IllegalStateException e) {
            throw new SourceException("job " + run.job() + ", collection " + table.tableName()
                    + ": cannot read source " + describe() + " database " + spec.dbName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the {@code fields} casts, plus {@code partition_col} cast as its {@code partition_col_format} says
     *         (datetime or int) when {@code fields} does not declare it: monthly partitions need a timestamp
     */
    static Map<String, SourceOptions.FieldType> fields(TableSpec table) {
        Map<String, SourceOptions.FieldType> fields = new HashMap<>(table.options().fields());
        if (table.partitionCol() != null && table.partitionColFormat() != PartitionFormat.STR) {
            fields.putIfAbsent(table.partitionCol(), table.partitionColFormat() == PartitionFormat.INT
                    ? SourceOptions.FieldType.INT : SourceOptions.FieldType.DATETIME);
        }
        return fields;
    }

    /** @return the URL without credentials, for messages */
    private String describe() {
        String url = spec.url();
        int at = url.indexOf('@');
        int scheme = url.indexOf("://");
        return at > 0 && scheme > 0 ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
    }

    private MongoClientSettings settings() {
        String url = spec.url();
        ConnectionString uri = new ConnectionString(url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")
                ? url : "mongodb://" + url);
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(uri)
                .applicationName("caravan")
                .applyToClusterSettings(c -> c.serverSelectionTimeout(30, TimeUnit.SECONDS));
        if (uri.getCredential() == null && spec.username() != null && !spec.username().isEmpty()) {
            String authSource = url.contains("authSource=") ? authSource(url) : "admin";
            b.credential(MongoCredential.createCredential(spec.username(), authSource,
                    spec.password().resolve().toCharArray()));
        }
        return b.build();
    }

    private static String authSource(String url) {
        int i = url.indexOf("authSource=") + "authSource=".length();
        int end = url.indexOf('&', i);
        return end < 0 ? url.substring(i) : url.substring(i, end);
    }

    /**
     * @return the server's clock (the {@code localTime} of {@code hello}, else of its older name {@code isMaster},
     *         else of {@code serverStatus}), else this machine's; milliseconds, as BSON dates hold
     */
    static OffsetDateTime clock(MongoClient client) {
        MongoDatabase admin = client.getDatabase("admin");
        for (String command : List.of("hello", "isMaster", "serverStatus")) {
            try {
                Object t = admin.runCommand(new Document(command, 1)).get("localTime");
                if (t instanceof Date d) {
                    return d.toInstant().atOffset(ZoneOffset.UTC);
                }
            } catch (MongoException e) {
                // not allowed or not known: try the next
            }
        }
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    /** @return the greatest {@code _id} now; null for an empty collection */
    private static Object maxId(MongoCollection<Document> collection) {
        Document d = collection.find().sort(Sorts.descending(DocumentRows.ID))
                .projection(Projections.include(DocumentRows.ID)).limit(1).first();
        return d == null ? null : d.get(DocumentRows.ID);
    }

    /**
     * Reads the documents of every plan once, noting their top-level fields.
     *
     * @return the number of documents the run will read
     */
    private long firstPass(MongoCollection<Document> collection, List<MongoReadPlan> plans,
                           Map<String, Boolean> found) {
        long n = 0;
        for (MongoReadPlan p : plans) {
            try (MongoCursor<Document> c = collection.find(p.filter())
                    .batchSize(Math.min(table.batchSize(), MongoBatchStream.FETCH_CAP)).iterator()) {
                while (c.hasNext()) {
                    Document d = c.next();
                    if (p.keep() == null || p.keep().test(d)) {
                        DocumentRows.scan(d, found);
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
