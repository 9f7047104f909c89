package io.caravan.camel;

import io.caravan.api.ProcessDict;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.dialect.postgres.PgRows;
import io.caravan.mapping.Mode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The route step {@code bean: {ref: processDict, method: apply}}: calls the mapping's {@link ProcessDict} on every
 * record of a batch. Without a class it is the identity and leaves the batch's binary rows untouched (no decoding).
 *
 * <p>A mirroring table's records must keep their primary key: mirroring deletes the destination's keys that the
 * source does not hold, comparing the source's keys as they are, so a changed key would have every row deleted.
 */
public class ProcessDictStep {

    private final ProcessDict function;
    private final String className;

    /** The identity step. */
    public ProcessDictStep() {
        this.function = null;
        this.className = null;
    }

    /** @param className a class implementing {@link ProcessDict}, with a public no-argument constructor */
    public ProcessDictStep(String className) {
        this.function = UserClasses.instantiate(className, ProcessDict.class, "process_dict");
        this.className = className;
    }

    /**
     * @param batch the exchange's body; its parts are replaced by the transformed records
     * @throws ProcessorException when the class throws, or changes a mirroring table's primary key
     */
    public void apply(Batch batch) {
        if (function == null) {
            return;
        }
        String key = keyColumn(batch);
        boolean keepKey = batch.run().table().mode() == Mode.MIRRORING && key != null;
        List<BatchPart> parts = new ArrayList<>();
        for (BatchPart part : batch.parts()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> record : records(batch, part)) {
                Object before = key == null ? null : record.get(key);
                Map<String, Object> processed = process(record, key, before);
                if (processed != null) {
                    if (keepKey) {
                        checkKeyKept(key, before, processed);
                    }
                    out.add(processed);
                }
            }
            parts.add(new BatchPart(part.table(), new RowData.Records(out)));
        }
        batch.replaceParts(parts);
    }

    private Map<String, Object> process(Map<String, Object> record, String key, Object keyValue) {
        try {
            return function.process(record);
        } catch (RuntimeException e) {
            throw failed("process_dict", className, key, keyValue, e);
        }
    }

    /**
     * Mirroring compares the source's keys with the destination's: a record written under id 8 for the source's
     * id 7 is deleted by that run's diff (8 is not at the source), and id 7 is never written.
     */
    private void checkKeyKept(String key, Object before, Map<String, Object> processed) {
        boolean removed = !processed.containsKey(key) || processed.get(key) == null;
        Object after = processed.get(key);
        if (!removed && (after.equals(before) || after.toString().equals(String.valueOf(before)))) {
            return;
        }
        String what = removed ? "removed the primary key " + key : "changed the primary key " + key + " to " + after;
        throw new ProcessorException("process_dict " + className + " " + what + " in the record with " + key + "="
                + before + "; mirroring compares keys as the source holds them, so every row written under another"
                + " key would be deleted: leave " + key + " as it is, or use syncing", null);
    }

    /** @return the batch's primary key column (the first, should there be several); null when the table has none */
    static String keyColumn(Batch batch) {
        List<String> key = batch.run().shape().primaryKey();
        return key.isEmpty() ? null : key.get(0);
    }

    /**
     * @return {@code <what> <class> failed on the record with <key>=<value>: <message>}, the message of a class the
     *         mapping names that threw on a record
     */
    static ProcessorException failed(String what, String className, String key, Object keyValue, RuntimeException e) {
        String record = key == null ? "a record" : "the record with " + key + "=" + keyValue;
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new ProcessorException(what + " " + className + " failed on " + record + ": " + message, e);
    }

    /** @return the part's rows as records, decoding binary rows */
    static List<Map<String, Object>> records(Batch batch, BatchPart part) {
        if (part.rows() instanceof RowData.Records r) {
            return r.records();
        }
        return PgRows.decode(batch.run().shape(), (RowData.Binary) part.rows());
    }
}
