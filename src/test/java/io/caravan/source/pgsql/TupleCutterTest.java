package io.caravan.source.pgsql;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The cutter finds whole tuples however the binary COPY stream is chunked. */
class TupleCutterTest {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    /** A stream of {@code rows} tuples of (int4 id, text name or NULL), and the bytes of each tuple. */
    private static byte[] stream(int rows, List<byte[]> tuples) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(all);
        out.write(SIGNATURE);
        out.writeInt(0);
        out.writeInt(3);
        out.write(new byte[] {1, 2, 3});
        for (int i = 0; i < rows; i++) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(t);
            d.writeShort(2);
            d.writeInt(4);
            d.writeInt(i);
            if (i % 3 == 0) {
                d.writeInt(-1);
            } else {
                byte[] name = ("name-" + "x".repeat(i % 17) + i).getBytes(StandardCharsets.UTF_8);
                d.writeInt(name.length);
                d.write(name);
            }
            tuples.add(t.toByteArray());
            out.write(t.toByteArray());
        }
        out.writeShort(-1);
        return all.toByteArray();
    }

    @Test
    void cutsWholeTuplesWhateverTheChunking() throws IOException {
        List<byte[]> tuples = new ArrayList<>();
        byte[] stream = stream(100, tuples);
        Random random = new Random(42);
        for (int attempt = 0; attempt < 50; attempt++) {
            TupleCutter cutter = new TupleCutter(7);
            List<byte[]> batches = new ArrayList<>();
            List<Integer> lastIds = new ArrayList<>();
            int p = 0;
            while (p < stream.length) {
                int n = Math.min(stream.length - p, 1 + random.nextInt(40));
                cutter.append(Arrays.copyOfRange(stream, p, p + n));
                p += n;
                while (cutter.tuples() >= 7) {
                    int[] id = cutter.lastTupleField(0);
                    lastIds.add(java.nio.ByteBuffer.wrap(cutter.buffer(), id[0], id[1]).getInt());
                    batches.add(cutter.cut());
                }
            }
            assertThat(cutter.ended()).isTrue();
            batches.add(cutter.cut());
            assertThat(batches).hasSize(15);
            assertThat(lastIds).containsExactly(6, 13, 20, 27, 34, 41, 48, 55, 62, 69, 76, 83, 90, 97);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            batches.forEach(joined::writeBytes);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            tuples.forEach(expected::writeBytes);
            assertThat(joined.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void nullFieldOfTheLastTupleHasLengthMinusOne() throws IOException {
        TupleCutter cutter = new TupleCutter(10);
        cutter.append(stream(4, new ArrayList<>()));
        assertThat(cutter.tuples()).isEqualTo(4);
        assertThat(cutter.lastTupleField(1)[1]).isEqualTo(-1);
        assertThat(cutter.ended()).isTrue();
    }
}
