package io.caravan.source.jdbc;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes rows as tuples of PostgreSQL's binary COPY format (without the file header and trailer), the form
 * {@link io.caravan.batch.RowData.Binary} carries: a PostgreSQL destination copies them as they are, and every other
 * destination decodes them with {@code PgBinaryCodec}. Encodings as PostgreSQL's {@code *_send} functions write them
 * (PostgreSQL source, {@code utils/adt}: {@code int8send}, {@code numeric_send}, {@code timestamp_send}, ...). Not
 * thread-safe.
 */
final class BinaryTuples {

    private static final long PG_EPOCH_DAYS = 10_957L;
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private byte[] buf;
    private int length;
    private int rows;

    BinaryTuples(int capacity) {
        buf = new byte[Math.max(1024, capacity)];
    }

    /** @return true when every OID can be written: the types {@link SourceTypes} maps to, but time with time zone
     *          and interval */
    static boolean writes(int oid) {
        return switch (oid) {
            case 16, 21, 23, 20, 700, 701, 1700, 25, 1043, 1042, 114, 3802, 2950, 17, 1082, 1114, 1184, 1083 -> true;
            default -> false;
        };
    }

    /** Starts a tuple of {@code fields} fields. */
    void beginTuple(int fields) {
        ensure(2);
        buf[length++] = (byte) (fields >>> 8);
        buf[length++] = (byte) fields;
        rows++;
    }

    /**
     * Appends one field.
     *
     * @param oid   the column's type OID (one {@link #writes} accepts)
     * @param value the Java value {@link SourceTypes#reader} gives for that type; null for NULL
     */
    void field(int oid, Object value) {
        if (value == null) {
            int32(-1);
            return;
        }
        switch (oid) {
            case 16 -> {
                int32(1);
                ensure(1);
                buf[length++] = (byte) (((Boolean) value) ? 1 : 0);
            }
            case 21 -> {
                int32(2);
                ensure(2);
                short s = ((Number) value).shortValue();
                buf[length++] = (byte) (s >>> 8);
                buf[length++] = (byte) s;
            }
            case 23 -> {
                int32(4);
                int32(((Number) value).intValue());
            }
            case 20 -> {
                int32(8);
                int64(((Number) value).longValue());
            }
            case 700 -> {
                int32(4);
                int32(Float.floatToIntBits(((Number) value).floatValue()));
            }
            case 701 -> {
                int32(8);
                int64(Double.doubleToLongBits(((Number) value).doubleValue()));
            }
            case 1700 -> numeric((BigDecimal) value);
            case 3802 -> {
                byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
                int32(b.length + 1);
                ensure(1);
                buf[length++] = 1;
                bytes(b);
            }
            case 2950 -> {
                UUID u = (UUID) value;
                int32(16);
                int64(u.getMostSignificantBits());
                int64(u.getLeastSignificantBits());
            }
            case 17 -> {
                byte[] b = (byte[]) value;
                int32(b.length);
                bytes(b);
            }
            case 1082 -> {
                int32(4);
                int32((int) (((LocalDate) value).toEpochDay() - PG_EPOCH_DAYS));
            }
            case 1114 -> {
                int32(8);
                int64(micros(((LocalDateTime) value).toEpochSecond(ZoneOffset.UTC),
                        ((LocalDateTime) value).getNano()));
            }
            case 1184 -> {
                OffsetDateTime t = (OffsetDateTime) value;
                int32(8);
                int64(micros(t.toEpochSecond(), t.getNano()));
            }
            case 1083 -> {
                int32(8);
                int64(((LocalTime) value).toNanoOfDay() / 1000);
            }
            default -> {
                byte[] b = value.toString().getBytes(StandardCharsets.UTF_8);
                int32(b.length);
                bytes(b);
            }
        }
    }

    /** @return microseconds since 2000-01-01, rounded half up as PostgreSQL rounds input */
    private static long micros(long epochSecond, int nano) {
        return epochSecond * 1_000_000L + (nano + 500) / 1000 - PG_EPOCH_MICROS;
    }

    /** numeric_send: ndigits, weight, sign, dscale, then base-10000 digits. */
    private void numeric(BigDecimal value) {
        BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
        int dscale = v.scale();
        String plain = v.abs().toPlainString();
        int dot = plain.indexOf('.');
        String intPart = dot < 0 ? plain : plain.substring(0, dot);
        String frac = dot < 0 ? "" : plain.substring(dot + 1);
        int intGroups = (intPart.length() + 3) / 4;
        String ip = "0".repeat(intGroups * 4 - intPart.length()) + intPart;
        String fp = frac + "0".repeat((4 - frac.length() % 4) % 4);
        String all = ip + fp;
        int n = all.length() / 4;
        int[] digits = new int[n];
        for (int i = 0; i < n; i++) {
            digits[i] = Integer.parseInt(all, i * 4, i * 4 + 4, 10);
        }
        int first = 0;
        while (first < n && digits[first] == 0) {
            first++;
        }
        int last = n;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int weight = intGroups - 1 - first;
        int ndigits = last - first;
        if (ndigits == 0) {
            weight = 0;
        }
        int32(8 + 2 * ndigits);
        int16(ndigits);
        int16(weight);
        int16(v.signum() < 0 ? 0x4000 : 0);
        int16(dscale);
        for (int i = first; i < last; i++) {
            int16(digits[i]);
        }
    }

    private void int16(int v) {
        ensure(2);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[length++] = (byte) (v >>> 24);
        buf[length++] = (byte) (v >>> 16);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, length, b.length);
        length += b.length;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    /** Appends every tuple of {@code other}. */
    void append(BinaryTuples other) {
        ensure(other.length);
        System.arraycopy(other.buf, 0, buf, length, other.length);
        length += other.length;
        rows += other.rows;
    }

    /** @return bytes written */
    int length() {
        return length;
    }

    /** @return tuples written */
    int rows() {
        return rows;
    }

    /** @return the buffer (valid up to {@link #length()}) */
    byte[] buffer() {
        return buf;
    }
}
