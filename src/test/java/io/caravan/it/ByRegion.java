package io.caravan.it;

import io.caravan.api.GetTableName;

import java.util.Map;

/** A {@code get_table_name} for tests: rows go to {@code orders_<region>}. */
public class ByRegion implements GetTableName {

    @Override
    public String tableName(Map<String, Object> record) {
        return "orders_" + record.get("region");
    }
}
