package io.caravan.destination.pgsql;

import io.caravan.batch.RowData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the tuples of a binary COPY batch into slices of about equal row counts. A tuple is a 16-bit field count,
 * then per field a 32-bit length ({@code -1} for NULL) and that many bytes (PostgreSQL documentation, COPY, "Binary
 * Format", "Tuples").
 */
final class BinarySlices {

    private BinarySlices() {
    }

    /**
     * @param rows   a batch's tuples; never null
     * @param slices how many slices, 1 or more (fewer come back when there are fewer rows)
     * @return the slices in row order, each a copy of its tuples, together holding every row once
     * @throws IllegalArgumentException when the tuples are cut short
     */
    static List<RowData.Binary> cut(RowData.Binary rows, int slices) {
        int k = Math.max(1, Math.min(slices, rows.rowCount()));
        List<RowData.Binary> out = new ArrayList<>(k);
        byte[] b = rows.tuples();
        int pos = 0;
        int from = 0;
        int rowsInSlice = 0;
        int sliceIndex = 0;
        int target = rows.rowCount() / k;
        for (int row = 0; row < rows.rowCount(); row++) {
            int fields = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
            pos += 2;
            for (int f = 0; f < fields; f++) {
                int len = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                        | (b[pos + 3] & 0xff);
                pos += 4 + Math.max(len, 0);
            }
            if (pos > rows.length()) {
                throw new IllegalArgumentException("binary tuples cut short at row " + row);
            }
            rowsInSlice++;
            if (rowsInSlice == target && sliceIndex < k - 1) {
                out.add(new RowData.Binary(Arrays.copyOfRange(b, from, pos), pos - from, rowsInSlice));
                from = pos;
                rowsInSlice = 0;
                sliceIndex++;
            }
        }
        if (rowsInSlice > 0 || out.isEmpty()) {
            out.add(new RowData.Binary(Arrays.copyOfRange(b, from, rows.length()), rows.length() - from,
                    rowsInSlice));
        }
        return out;
    }
}
