package io.caravan.camel;

import io.caravan.api.GetTableName;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route step {@code bean: {ref: getTableName, method: apply}}: groups a batch's records by the destination table
 * the mapping's {@link GetTableName} chooses. Without a class every row goes to the source table's name and the
 * batch is left untouched.
 */
public class GetTableNameStep {

    private final GetTableName function;
    private final String className;

    /** The default step: the source table's name. */
    public GetTableNameStep() {
        this.function = null;
        this.className = null;
    }

    /** @param className a class implementing {@link GetTableName}, with a public no-argument constructor */
    public GetTableNameStep(String className) {
        this.function = UserClasses.instantiate(className, GetTableName.class, "get_table_name");
        this.className = className;
    }

    /**
     * @param batch the exchange's body; its parts are regrouped by destination table
     * @throws ProcessorException when the class throws
     */
    public void apply(Batch batch) {
        if (function == null) {
            return;
        }
        String key = ProcessDictStep.keyColumn(batch);
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (BatchPart part : batch.parts()) {
            for (Map<String, Object> record : ProcessDictStep.records(batch, part)) {
                String name = tableName(record, key);
                groups.computeIfAbsent(name == null ? part.table() : name, k -> new ArrayList<>()).add(record);
            }
        }
        List<BatchPart> parts = new ArrayList<>();
        groups.forEach((table, records) -> parts.add(new BatchPart(table, new RowData.Records(records))));
        if (parts.isEmpty()) {
            parts.add(new BatchPart(batch.run().table().sourceName(), new RowData.Records(List.of())));
        }
        batch.replaceParts(parts);
    }

    private String tableName(Map<String, Object> record, String key) {
        try {
            return function.tableName(record);
        } catch (RuntimeException e) {
            throw ProcessDictStep.failed("get_table_name", className, key, key == null ? null : record.get(key), e);
        }
    }
}
