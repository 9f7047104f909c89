package io.caravan.camel;

import io.caravan.api.ProcessDict;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.dialect.postgres.PgRows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The route step {@code bean: {ref: processDict, method: apply}}: calls the mapping's {@link ProcessDict} on every
 * record of a batch. Without a class it is the identity and leaves the batch's binary rows untouched (no decoding).
 */
public class ProcessDictStep {

    private final ProcessDict function;

    /** The identity step. */
    public ProcessDictStep() {
        this.function = null;
    }

    /** @param className a class implementing {@link ProcessDict}, with a public no-argument constructor */
    public ProcessDictStep(String className) {
        this.function = UserClasses.instantiate(className, ProcessDict.class, "process_dict");
    }

    /** @param batch the exchange's body; its parts are replaced by the transformed records */
    public void apply(Batch batch) {
        if (function == null) {
            return;
        }
        List<BatchPart> parts = new ArrayList<>();
        for (BatchPart part : batch.parts()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> record : records(batch, part)) {
                Map<String, Object> processed = function.process(record);
                if (processed != null) {
                    out.add(processed);
                }
            }
            parts.add(new BatchPart(part.table(), new RowData.Records(out)));
        }
        batch.replaceParts(parts);
    }

    /** @return the part's rows as records, decoding binary rows */
    static List<Map<String, Object>> records(Batch batch, BatchPart part) {
        if (part.rows() instanceof RowData.Records r) {
            return r.records();
        }
        return PgRows.decode(batch.run().shape(), (RowData.Binary) part.rows());
    }
}
