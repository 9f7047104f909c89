package io.caravan.it;

import io.caravan.api.GetTableName;
import io.caravan.api.ProcessDict;

import java.util.Map;

/** A {@code process_dict} and {@code get_table_name} for tests: throws on the record with id 7. */
public class Boom implements ProcessDict, GetTableName {

    @Override
    public Map<String, Object> process(Map<String, Object> record) {
        check(record);
        return record;
    }

    @Override
    public String tableName(Map<String, Object> record) {
        check(record);
        return "orders";
    }

    private static void check(Map<String, Object> record) {
        if (Long.valueOf(7).equals(record.get("id"))) {
            throw new IllegalStateException("no region for 7");
        }
    }
}
