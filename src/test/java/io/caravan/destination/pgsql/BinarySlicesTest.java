package io.caravan.destination.pgsql;

import io.caravan.batch.RowData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinarySlicesTest {

    /** Rows of (int8 id, text or NULL), as binary COPY tuples. */
    private static RowData.Binary rows(int n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int i = 0; i < n; i++) {
            out.writeShort(2);
            out.writeInt(8);
            out.writeLong(i);
            if (i % 3 == 0) {
                out.writeInt(-1);
            } else {
                byte[] text = ("row " + "x".repeat(i % 17)).getBytes(StandardCharsets.UTF_8);
                out.writeInt(text.length);
                out.write(text);
            }
        }
        byte[] b = bytes.toByteArray();
        return new RowData.Binary(b, b.length, n);
    }

    @Test
    void slicesHoldEveryRowOnceInOrder() throws IOException {
        RowData.Binary all = rows(1001);
        for (int k = 1; k <= 4; k++) {
            List<RowData.Binary> slices = BinarySlices.cut(all, k);
            assertThat(slices).hasSize(k);
            assertThat(slices.stream().mapToInt(RowData.Binary::rowCount).sum()).isEqualTo(1001);
            assertThat(slices.get(0).rowCount()).isEqualTo(1001 / k);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            slices.forEach(s -> joined.write(s.tuples(), 0, s.length()));
            assertThat(joined.toByteArray()).isEqualTo(all.tuples());
        }
    }

    @Test
    void fewerRowsThanSlicesGiveOneSlicePerRow() throws IOException {
        assertThat(BinarySlices.cut(rows(2), 4)).extracting(RowData.Binary::rowCount).containsExactly(1, 1);
    }

    @Test
    void tuplesCutShortAreRefused() throws IOException {
        RowData.Binary all = rows(10);
        RowData.Binary shortened = new RowData.Binary(all.tuples(), all.length() - 3, 10);
        assertThatThrownBy(() -> BinarySlices.cut(shortened, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
