package io.caravan.source.pgsql;

import java.util.Arrays;

/**
 * Cuts a binary COPY stream (PostgreSQL manual, "COPY", binary format) into runs of whole tuples without decoding
 * them. Chunks arrive as the server sends them (usually one tuple each); {@link #append} takes them, and
 * {@link #cut} hands out the first {@code n} complete tuples as one array.
 *
 * <p>Layout: an 11-byte signature {@code PGCOPY\n\377\r\n\0}, int32 flags, int32 extension length and the
 * extension; then tuples, each an int16 field count and per field an int32 length (-1 for NULL) and the bytes; then
 * the int16 -1 trailer. Integers are big-endian.
 */
final class TupleCutter {

    private static final int SIGNATURE_LENGTH = 11;

    private byte[] buf = new byte[1 << 16];
    private int length;
    private int scanned;
    private int tuples;
    private int lastTupleStart = -1;
    private boolean headerSkipped;
    private boolean ended;
    private final int limit;

    /** @param limit most tuples to hold before {@link #cut} (the batch size) */
    TupleCutter(int limit) {
        this.limit = limit;
    }

    /** Appends {@code chunk} and scans the tuples it completes. */
    void append(byte[] chunk) {
        if (length + chunk.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + chunk.length));
        }
        System.arraycopy(chunk, 0, buf, length, chunk.length);
        length += chunk.length;
        scan();
    }

    private void scan() {
        if (!headerSkipped) {
            if (length < SIGNATURE_LENGTH + 8) {
                return;
            }
            int extension = readInt(SIGNATURE_LENGTH + 4);
            int start = SIGNATURE_LENGTH + 8 + extension;
            if (length < start) {
                return;
            }
            System.arraycopy(buf, start, buf, 0, length - start);
            length -= start;
            headerSkipped = true;
        }
        while (!ended && tuples < limit) {
            int end = tupleEnd(scanned);
            if (end == -1) {
                return;
            }
            if (end == -2) {
                ended = true;
                length = scanned;
                return;
            }
            lastTupleStart = scanned;
            scanned = end;
            tuples++;
        }
    }

    /** @return the offset after the tuple starting at {@code at}; -1 when incomplete; -2 at the trailer */
    private int tupleEnd(int at) {
        if (length - at < 2) {
            return -1;
        }
        int fields = readShort(at);
        if (fields == -1) {
            return -2;
        }
        int p = at + 2;
        for (int i = 0; i < fields; i++) {
            if (length - p < 4) {
                return -1;
            }
            int len = readInt(p);
            p += 4 + Math.max(len, 0);
            if (p > length) {
                return -1;
            }
        }
        return p;
    }

    /** @return complete tuples held */
    int tuples() {
        return tuples;
    }

    /** @return bytes of complete tuples held */
    int tupleBytes() {
        return scanned;
    }

    /** @return true once the trailer has been seen */
    boolean ended() {
        return ended;
    }

    /**
     * Finds field {@code index} of the last complete tuple.
     *
     * @return {offset, length} of the field's bytes in {@link #buffer()}; length -1 for NULL
     */
    int[] lastTupleField(int index) {
        int p = lastTupleStart + 2;
        for (int i = 0; i < index; i++) {
            p += 4 + Math.max(readInt(p), 0);
        }
        return new int[] {p + 4, readInt(p)};
    }

    /** @return the internal buffer, valid until the next {@link #append} or {@link #cut} */
    byte[] buffer() {
        return buf;
    }

    /**
     * Removes every complete tuple held and returns them, back to back.
     *
     * @return a new array of exactly {@link #tupleBytes()} bytes
     */
    byte[] cut() {
        byte[] out = Arrays.copyOf(buf, scanned);
        System.arraycopy(buf, scanned, buf, 0, length - scanned);
        length -= scanned;
        scanned = 0;
        tuples = 0;
        lastTupleStart = -1;
        scan();
        return out;
    }

    private int readShort(int at) {
        return (short) (((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff));
    }

    private int readInt(int at) {
        return ((buf[at] & 0xff) << 24) | ((buf[at + 1] & 0xff) << 16) | ((buf[at + 2] & 0xff) << 8) | (buf[at + 3] & 0xff);
    }
}
