package io.caravan.batch;

import java.util.List;
import java.util.Map;

/**
 * The rows of one batch part, in one of two forms: binary COPY tuples exactly as the source sent them (the fast
 * path, no per-row work), or decoded records after a {@code process_dict} step.
 */
public sealed interface RowData permits RowData.Binary, RowData.Records {

    /** @return number of rows */
    int rowCount();

    /** @return approximate size of the rows in bytes */
    long byteCount();

    /**
     * Binary COPY tuples, without the file header and trailer.
     *
     * @param tuples   the tuples, back to back; never null
     * @param length   number of valid bytes in {@code tuples}
     * @param rowCount number of tuples
     */
    record Binary(byte[] tuples, int length, int rowCount) implements RowData {
        @Override
        public long byteCount() {
            return length;
        }
    }

    /**
     * Decoded records: column name to Java value, as {@code io.caravan.dialect.postgres.PgBinaryCodec} decodes them.
     *
     * @param records the records; never null, no null elements
     */
    record Records(List<Map<String, Object>> records) implements RowData {
        @Override
        public int rowCount() {
            return records.size();
        }

        @Override
        public long byteCount() {
            long bytes = 0;
            for (Map<String, Object> r : records) {
                for (Object v : r.values()) {
                    bytes += v == null ? 0 : (v instanceof byte[] b ? b.length : String.valueOf(v).length());
                }
            }
            return bytes;
        }
    }
}
