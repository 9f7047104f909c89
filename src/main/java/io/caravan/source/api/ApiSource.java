package io.caravan.source.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.mapping.Mode;
import io.caravan.mapping.Secret;
import io.caravan.mapping.SourceOptions;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.FieldCasts;
import io.caravan.source.Source;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;
import org.apache.camel.CamelContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP API as a source ({@code source_type: api}, one {@code apis} entry): a paged JSON endpoint polled through
 * Camel's HTTP component (see {@link PageClient}), its records turned into rows (see {@link ApiRecords}).
 *
 * <p>Paging, each page a GET of the entry's {@code url} with the {@code Authorization} header from
 * {@code auth_header} ({@code ${env:NAME}} references resolved, also inside a longer text such as
 * {@code Bearer ${env:TOKEN}}):
 * <ul>
 *   <li>{@code page_param}: {@code <page_param>=1, 2, ...} until a page holds no record;</li>
 *   <li>{@code bookmark_param}: {@code <bookmark_param>=<value of the last record read>}, the API answering the
 *       records after that value, sorted, until a page holds no record. The first request carries the cursor's value
 *       (none on a first run, or when dumping). The value is the {@code bookmark} field when syncing, the
 *       {@code primary_key} field when logging or dumping (the loader keeps {@code bookmark} only for syncing);</li>
 *   <li>neither: one GET.</li>
 * </ul>
 * The records are the JSON array at {@code records_path} (a JSON Pointer; the page itself when empty); a page without
 * that node counts as empty. A page answering with the same records as the page before (an API that ignores the
 * page parameter), or a bookmark that does not move, fails the run rather than looping.
 *
 * <p>Modes: dumping reads every record; logging keeps the records whose {@code primary_key} is above the cursor's
 * key; syncing keeps the records whose {@code bookmark} is above the cursor's bookmark (an exclusive bound: the
 * cursor holds the greatest bookmark committed, and the key part of the cursor is null). Positions compare as numbers
 * when both are numbers, as instants when both are ISO-8601 timestamps, else as text. A record without the field
 * its mode reads fails the run. There are no lags (the {@code apis} entry has none).
 *
 * <p>A run fetches every page before it writes anything: the records it keeps go to a temporary file (JSON lines,
 * deleted with the run), so memory stays bounded whatever the run's size, and the shape is the union of the fields
 * of every record the run keeps (a field seen only on the last page still gets its column). An HTTP failure (any
 * status but 2xx, or no answer) therefore writes nothing and leaves the cursor where the last run's destinations
 * committed it; the message names the status and the URL, never the {@code auth_header} nor the values of the URL's
 * own query parameters. Retries are left to the next run.
 *
 * <p>The run's ceiling is this machine's clock at the start of the run (an API has no clock to ask).
 */
public final class ApiSource implements Source {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}]*)}");
    private static final DateTimeFormatter CEILING = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final TableSpec table;
    private final SourceOptions.ApiSpec api;
    private final CamelContext context;

    /**
     * @param table   an {@code apis} entry (its {@code options().api()} is not null); never null
     * @param context a started Camel context whose HTTP component fetches the pages; null to start one per run
     */
    public ApiSource(TableSpec table, CamelContext context) {
        this.table = table;
        this.api = table.options().api();
        this.context = context;
    }

    /**
     * @return the stream of the kept records' batches
     * @throws SourceException naming the job, the API, the HTTP status and the URL (without secrets) when a page
     *                         cannot be fetched or read, and the field when a record lacks its mode's field
     */
    @Override
    public BatchStream read(TableRun run) {
        String where = "job " + run.job() + ", api " + table.tableName();
        String ceiling = OffsetDateTime.now(ZoneOffset.UTC).format(CEILING);
        Cursor cursor = run.cursorStore().load(run.job(), table.tableName()).cursor();
        Mode mode = table.mode();
        String positionField = mode == Mode.SYNCING ? table.bookmark() : mode == Mode.LOGGING ? table.primaryKey()
                : null;
        String after = cursor == null ? null : mode == Mode.SYNCING ? cursor.bookmarkValue()
                : mode == Mode.LOGGING ? cursor.keyValue() : null;
        String pagingField = api.bookmarkParam() == null ? null
                : table.bookmark() != null ? table.bookmark() : table.primaryKey();
        if (api.bookmarkParam() != null && pagingField == null) {
            throw new SourceException(where + ": bookmark_param sends the last record's bookmark, which only syncing"
                    + " keeps; in " + mode.wireValue() + " mode it sends the primary_key: add primary_key", null);
        }
        String authorization = authorization(where);
        FieldCasts casts = new FieldCasts(table.options().fields());
        ApiRecords records = new ApiRecords(table, casts);
        Path spool = null;
        long kept;
        boolean sorted;
        try {
            spool = Files.createTempFile("caravan-api-", ".jsonl");
            Fetch fetch = new Fetch(where, positionField, after, pagingField, records);
            try (PageClient client = new PageClient(api.url(), authorization, context);
                 BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
                fetch.run(client, out, authorization);
            }
            kept = fetch.kept;
            sorted = fetch.sorted;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(spool);
            if (e instanceof SourceException se) {
                throw se;
            }
            throw new SourceException(where + ": " + e.getMessage(), e);
        }
        TableShape shape = records.shape();
        if (shape == null) {
            deleteQuietly(spool);
            throw new SourceException(where + ": the API answered no record and the entry names no primary_key,"
                    + " bookmark or fields, so there is no column to create", null);
        }
        run.begin(shape, ceiling, null);
        run.estimate(kept);
        ApiBatchStream stream = new ApiBatchStream(run, spool, kept, records, casts, positionField, sorted);
        run.register(stream);
        return stream;
    }

    /** One run's paging: fetches pages, keeps the records the mode wants, spools them. */
    private final class Fetch {
        private final String where;
        private final String positionField;
        private final String after;
        private final String pagingField;
        private final ApiRecords records;
        private long kept;
        private boolean sorted = true;
        private String lastPosition;

        Fetch(String where, String positionField, String after, String pagingField, ApiRecords records) {
            this.where = where;
            this.positionField = positionField;
            this.after = after;
            this.pagingField = pagingField;
            this.records = records;
        }

        void run(PageClient client, BufferedWriter out, String authorization) throws IOException {
            String param = api.pageParam() != null ? api.pageParam() : api.bookmarkParam();
            long page = 1;
            String sent = api.pageParam() != null ? "1" : api.bookmarkParam() != null ? after : null;
            JsonNode previous = null;
            while (true) {
                PageClient.Page answer = client.get(param, sent);
                String url = client.shown(param, sent);
                if (answer.status() < 200 || answer.status() > 299) {
                    throw new SourceException(where + ": HTTP " + answer.status() + " from " + url
                            + (answer.status() == 401 || answer.status() == 403 ? " (check auth_header)" : "")
                            + snippet(answer.body(), authorization), null);
                }
                JsonNode items = items(answer.body(), url);
                if (items.isEmpty()) {
                    return;
                }
                if (previous != null && previous.equals(items)) {
                    throw new SourceException(where + ": " + url + " answered the same records as the page before;"
                            + " does the API read " + param + "?", null);
                }
                previous = items;
                for (JsonNode item : items) {
                    keep(item, url, out);
                }
                if (api.pageParam() != null) {
                    sent = Long.toString(++page);
                } else if (api.bookmarkParam() != null) {
                    String last = ApiRecords.position(items.get(items.size() - 1).get(pagingField));
                    if (last == null) {
                        throw new SourceException(where + ": the last record from " + url + " has no field '"
                                + pagingField + "' to send as " + param, null);
                    }
                    if (sent != null && ApiRecords.compare(last, sent) <= 0) {
                        throw new SourceException(where + ": " + url + " answered records up to " + pagingField + " "
                                + last + ", not after the value sent; the API must answer the records after "
                                + param + ", sorted", null);
                    }
                    sent = last;
                } else {
                    return;
                }
            }
        }

        private JsonNode items(byte[] body, String url) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                throw new SourceException(where + ": the answer from " + url + " is not JSON: " + e.getMessage(), e);
            }
            JsonNode items = root == null ? null : api.recordsPath().isEmpty() ? root : root.at(api.recordsPath());
            if (items == null || items.isMissingNode() || items.isNull()) {
                return JSON.createArrayNode();
            }
            if (!items.isArray()) {
                throw new SourceException(where + ": the answer from " + url + " holds a " + items.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT) + " at records_path '" + api.recordsPath()
                        + "', not an array of records", null);
            }
            return items;
        }

        private void keep(JsonNode item, String url, BufferedWriter out) throws IOException {
            if (!item.isObject()) {
                throw new SourceException(where + ": a record from " + url + " is a " + item.getNodeType().name()
                        .toLowerCase(java.util.Locale.ROOT) + ", not a JSON object", null);
            }
            if (positionField != null) {
                String position = ApiRecords.position(item.get(positionField));
                if (position == null) {
                    throw new SourceException(where + ": a record from " + url + " has no value for '"
                            + positionField + "', which " + table.mode().wireValue() + " mode reads", null);
                }
                if (after != null && ApiRecords.compare(position, after) <= 0) {
                    return;
                }
                if (lastPosition != null && ApiRecords.compare(position, lastPosition) < 0) {
                    sorted = false;
                }
                lastPosition = position;
            }
            if (table.mode() != Mode.DUMPING && ApiRecords.position(item.get(table.primaryKey())) == null) {
                throw new SourceException(where + ": a record from " + url + " has no value for its primary_key '"
                        + table.primaryKey() + "'", null);
            }
            records.observe(item);
            out.write(JSON.writeValueAsString(item));
            out.write('\n');
            kept++;
        }
    }

    /** @return up to 200 characters of an error answer's body, the authorization value masked; empty for none */
    private static String snippet(byte[] body, String authorization) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(Arrays.copyOf(body, Math.min(body.length, 400)), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        if (authorization != null && !authorization.isEmpty()) {
            text = text.replace(authorization, "***");
        }
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    /** @return the Authorization header's value with every {@code ${env:NAME}} replaced; null when none is set */
    private String authorization(String where) {
        Secret header = api.authHeader();
        if (header == null || header.isEmpty()) {
            return null;
        }
        Matcher m = ENV.matcher(header.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = System.getenv(m.group(1));
            if (value == null) {
                throw new SourceException(where + ": auth_header: environment variable " + m.group(1)
                        + " is not set", null);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans its temp directory
            }
        }
    }
}
