package io.caravan.format;

import io.caravan.batch.Column;

/** TEMPORARY stand-in for branch {@code format}'s AthenaTypes; replaced when that branch is merged. */
public final class AthenaTypes {
    private AthenaTypes() {
    }

    /** @return the Athena type of the column */
    public static String columnType(Column c) {
        return "string";
    }
}
