package io.caravan.source.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.mapping.Mode;
import io.caravan.source.BatchStream;
import io.caravan.source.FieldCasts;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The batches of one API run, read back from the run's spool file: {@code batch_size} records each, the last batch
 * flagged (an empty one when the run kept no record). Every batch is durable.
 *
 * <p>Cursor: logging commits the greatest key written so far, syncing the greatest bookmark. When the API answered
 * the kept records out of that order, only the last batch carries a cursor, so that a failure mid-run cannot skip
 * records of later batches that sort below an earlier batch's; the replay is idempotent at every destination.
 * Within a batch, records of the same key are written once (syncing keeps the one of greatest bookmark, the later on
 * a tie; logging keeps the first): an upsert cannot touch a row twice in one statement.
 */
final class ApiBatchStream implements BatchStream {

    private static final Logger LOG = LoggerFactory.getLogger(ApiBatchStream.class);

    private final TableRun run;
    private final Path spool;
    private final long total;
    private final ApiRecords records;
    private final FieldCasts casts;
    private final String positionField;
    private final boolean sorted;
    private final TableShape shape;
    private final String keyField;
    private BufferedReader reader;
    private long read;
    private int sequence;
    private boolean done;
    private String maxPosition;

    ApiBatchStream(TableRun run, Path spool, long total, ApiRecords records, FieldCasts casts, String positionField,
                   boolean sorted) {
        this.run = run;
        this.spool = spool;
        this.total = total;
        this.records = records;
        this.casts = casts;
        run.castFallbacks(casts::fallbacksByField);
        this.positionField = positionField;
        this.sorted = sorted;
        this.shape = run.shape();
        this.keyField = run.table().mode() == Mode.DUMPING ? null : run.table().primaryKey();
    }

    @Override
    public boolean hasNext() {
        if (!done && run.status() == TableRun.Status.FAILED) {
            close();
        }
        return !done;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches");
        }
        try {
            if (reader == null) {
                reader = Files.newBufferedReader(spool, StandardCharsets.UTF_8);
            }
            int size = run.table().batchSize();
            Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
            Map<Object, String> keyPosition = new LinkedHashMap<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            long bytes = 0;
            int n = 0;
            String line;
            while (n < size && (line = reader.readLine()) != null) {
                n++;
                read++;
                bytes += line.length();
                JsonNode record = ApiSource.JSON.readTree(line);
                Map<String, Object> row = records.row(shape, record);
                String position = positionField == null ? null : ApiRecords.position(record.get(positionField));
                if (position != null && (maxPosition == null || ApiRecords.compare(position, maxPosition) > 0)) {
                    maxPosition = position;
                }
                if (keyField == null) {
                    rows.add(row);
                    continue;
                }
                Object key = row.get(keyField);
                Map<String, Object> earlier = byKey.get(key);
                if (earlier == null) {
                    byKey.put(key, row);
                    keyPosition.put(key, position);
                } else if (run.table().mode() == Mode.SYNCING && ApiRecords.compare(position,
                        keyPosition.get(key)) >= 0) {
                    byKey.remove(key);
                    byKey.put(key, row);
                    keyPosition.put(key, position);
                }
            }
            if (keyField != null) {
                rows.addAll(byKey.values());
            }
            boolean last = read >= total;
            if (last) {
                done = true;
                close();
                if (casts.fallbackCount() > 0) {
                    LOG.warn("job {}, api {}: {} values did not cast and got the seed's default ({})", run.job(),
                            run.table().tableName(), casts.fallbackCount(), casts.fallbacksByField());
                }
            }
            run.addRead(rows.size(), bytes);
            Cursor cursor = maxPosition == null || (!last && !sorted) ? null
                    : run.table().mode() == Mode.SYNCING ? Cursor.incremental(maxPosition, null)
                    : Cursor.incremental(null, maxPosition);
            return new Batch(run, ++sequence, last, cursor, true,
                    List.of(new BatchPart(run.table().sourceName(), new RowData.Records(rows))));
        } catch (IOException | IllegalArgumentException e) {
            done = true;
            close();
            throw new SourceException("job " + run.job() + ", api " + run.table().tableName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        done = true;
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            reader = null;
        }
        ApiSource.deleteQuietly(spool);
    }
}
