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
    private int[] digits = new int[16];

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

    /** numeric_send of a BigDecimal, through its plain text. */
    private void numeric(BigDecimal value) {
        BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
        if (!numericText(v.toPlainString().getBytes(StandardCharsets.ISO_8859_1))) {
            throw new IllegalArgumentException("numeric " + value + " has no plain decimal text");
        }
    }

    /**
     * Appends a numeric field from its decimal text, as numeric_send writes it: ndigits, weight, sign, dscale, then
     * base-10000 digits, the scale being the text's digits after the point.
     *
     * @param text the ASCII of an optional sign, digits, and optionally a point followed by digits: {@code -12.50}
     * @return false, having written nothing, when the text is not of that form
     */
    boolean numericText(byte[] text) {
        int len = text.length;
        int at = 0;
        boolean negative = false;
        if (len > 0 && (text[0] == '-' || text[0] == '+')) {
            negative = text[0] == '-';
            at = 1;
        }
        int dot = -1;
        for (int i = at; i < len && dot < 0; i++) {
            if (text[i] == '.') {
                dot = i;
            }
        }
        int intEnd = dot < 0 ? len : dot;
        int fracStart = dot < 0 ? len : dot + 1;
        int intLen = intEnd - at;
        int fracLen = len - fracStart;
        if (intLen + fracLen == 0 || fracLen > 0x3FFF) {
            return false;
        }
        for (int i = at; i < len; i++) {
            byte c = text[i];
            if ((c < '0' || c > '9') && i != dot) {
                return false;
            }
        }
        int intGroups = (intLen + 3) / 4;
        int pad = intGroups * 4 - intLen;
        int n = intGroups + (fracLen + 3) / 4;
        if (digits.length < n) {
            digits = new int[Math.max(n, digits.length * 2)];
        }
        for (int g = 0; g < n; g++) {
            int d = 0;
            for (int k = 0; k < 4; k++) {
                int p = g * 4 + k;
                int c;
                if (p < intGroups * 4) {
                    int i = p - pad;
                    c = i < 0 ? 0 : text[at + i] - '0';
                } else {
                    int f = p - intGroups * 4;
                    c = f < fracLen ? text[fracStart + f] - '0' : 0;
                }
                d = d * 10 + c;
            }
            digits[g] = d;
        }
        int first = 0;
        while (first < n && digits[first] == 0) {
            first++;
        }
        int last = n;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int ndigits = last - first;
        int weight = ndigits == 0 ? 0 : intGroups - 1 - first;
        int32(8 + 2 * ndigits);
        int16(ndigits);
        int16(weight);
        int16(negative && ndigits > 0 ? 0x4000 : 0);
        int16(fracLen);
        for (int i = first; i < last; i++) {
            int16(digits[i]);
        }
        return true;
    }

    /**
     * Appends a timestamp (or timestamptz) field from the ASCII text {@code YYYY-MM-DD HH:MM:SS[.f...]} (1 to 6 digits
     * of fraction), read as UTC.
     *
     * @return false, having written nothing, when the text is not of that form or not a valid date and time (MySQL's
     *         zero dates among them)
     */
    boolean timestampText(byte[] text) {
        int len = text.length;
        if (len < 19 || len == 20 || len > 26 || text[10] != ' ' || text[13] != ':' || text[16] != ':'
                || (len > 19 && text[19] != '.')) {
            return false;
        }
        long days = epochDay(text);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (days == Long.MIN_VALUE || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return false;
        }
        int micros = 0;
        if (len > 19) {
            micros = digits(text, 20, len);
            if (micros < 0) {
                return false;
            }
            for (int i = len - 20; i < 6; i++) {
                micros *= 10;
            }
        }
        int32(8);
        int64(((days * 86_400L + hour * 3600L + minute * 60L + second) * 1_000_000L + micros) - PG_EPOCH_MICROS);
        return true;
    }

    /**
     * Appends a date field from the ASCII text {@code YYYY-MM-DD}.
     *
     * @return false, having written nothing, when the text is not a valid date of that form (zero dates among them)
     */
    boolean dateText(byte[] text) {
        if (text.length != 10) {
            return false;
        }
        long days = epochDay(text);
        if (days == Long.MIN_VALUE) {
            return false;
        }
        int32(4);
        int32((int) (days - PG_EPOCH_DAYS));
        return true;
    }

    /**
     * Appends a uuid field from its 36-character ASCII text.
     *
     * @return false, having written nothing, when the text is not a uuid's
     */
    boolean uuidText(byte[] text) {
        if (text.length != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
            return false;
        }
        long high = 0;
        long low = 0;
        int nibbles = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            int h = Character.digit(text[i], 16);
            if (h < 0) {
                return false;
            }
            if (nibbles++ < 16) {
                high = (high << 4) | h;
            } else {
                low = (low << 4) | h;
            }
        }
        int32(16);
        int64(high);
        int64(low);
        return true;
    }

    /**
     * Appends a text field from its UTF-8 bytes (text, varchar, char, json; jsonb with its version byte).
     *
     * @param oid  the column's type OID
     * @param utf8 the value's UTF-8; null for NULL
     */
    void textBytes(int oid, byte[] utf8) {
        if (utf8 == null) {
            int32(-1);
            return;
        }
        if (oid == 3802) {
            int32(utf8.length + 1);
            ensure(1);
            buf[length++] = 1;
        } else {
            int32(utf8.length);
        }
        bytes(utf8);
    }

    /** @return the proleptic day since 1970-01-01 of {@code YYYY-MM-DD} at the text's start; Long.MIN_VALUE if none */
    private static long epochDay(byte[] text) {
        if (text[4] != '-' || text[7] != '-') {
            return Long.MIN_VALUE;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) {
            return Long.MIN_VALUE;
        }
        // days from civil (Howard Hinnant's algorithm), as LocalDate.toEpochDay computes it
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** @return the decimal number of the ASCII digits in [from, to); -1 when one is not a digit */
    private static int digits(byte[] text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            byte c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
