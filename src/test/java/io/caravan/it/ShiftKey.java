package io.caravan.it;

import io.caravan.api.ProcessDict;

import java.util.Map;

/** A {@code process_dict} for tests: moves every record to key {@code id + 1000}. */
public class ShiftKey implements ProcessDict {

    @Override
    public Map<String, Object> process(Map<String, Object> record) {
        record.put("id", (Long) record.get("id") + 1000);
        return record;
    }
}
