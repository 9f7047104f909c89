package io.caravan.it;

import io.caravan.api.ProcessDict;

import java.util.Map;

/** A {@code process_dict} for tests: upper-cases {@code status} and drops the record with id 13. */
public class Upper implements ProcessDict {

    @Override
    public Map<String, Object> process(Map<String, Object> record) {
        if (Long.valueOf(13).equals(record.get("id"))) {
            return null;
        }
        Object status = record.get("status");
        if (status != null) {
            record.put("status", status.toString().toUpperCase(java.util.Locale.ROOT));
        }
        return record;
    }
}
