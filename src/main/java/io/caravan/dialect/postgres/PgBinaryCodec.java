package io.caravan.dialect.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decodes fields of PostgreSQL's binary COPY format into Java values, and writes Java values as PostgreSQL text input
 * (for {@code COPY ... FROM STDIN} in text format) that parses back to the identical value.
 *
 * <p>Text fields are read as UTF-8: binary COPY sends them in the client encoding, and pgjdbc always sets
 * {@code client_encoding} to UTF8. Stateless and thread-safe.
 */
public final class PgBinaryCodec {

    private static final int BOOL = 16;
    private static final int BYTEA = 17;
    private static final int CHAR = 18;
    private static final int NAME = 19;
    private static final int INT8 = 20;
    private static final int INT2 = 21;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int OID = 26;
    private static final int JSON = 114;
    private static final int FLOAT4 = 700;
    private static final int FLOAT8 = 701;
    private static final int BPCHAR = 1042;
    private static final int VARCHAR = 1043;
    private static final int DATE = 1082;
    private static final int TIME = 1083;
    private static final int TIMESTAMP = 1114;
    private static final int TIMESTAMPTZ = 1184;
    private static final int INTERVAL = 1186;
    private static final int TIMETZ = 1266;
    private static final int NUMERIC = 1700;
    private static final int UUID_OID = 2950;
    private static final int JSONB = 3802;

    /** Seconds from 1970-01-01 (the Java epoch) to 2000-01-01 (the PostgreSQL epoch). */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    /** Days from 1970-01-01 to 2000-01-01. */
    private static final long PG_EPOCH_DAYS = 10_957L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    private static final long MICROS_PER_MINUTE = 60_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** PostgreSQL's MAXDIM: arrays have at most 6 dimensions. */
    private static final int MAX_DIMENSIONS = 6;

    private static final int NUMERIC_POS = 0x0000;
    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;

    private PgBinaryCodec() {
    }

    /**
     * Decodes one field of a binary COPY tuple.
     *
     * <p>Java types by type OID: bool (16) {@link Boolean}; int2 (21) {@link Short}; int4 (23) {@link Integer};
     * int8 (20) {@link Long}; oid (26) {@link Long} (unsigned); float4 (700) {@link Float}; float8 (701)
     * {@link Double}; numeric (1700) {@link BigDecimal} with the column's display scale, or {@link Double#NaN},
     * {@link Double#POSITIVE_INFINITY}, {@link Double#NEGATIVE_INFINITY}; text (25), varchar (1043), bpchar (1042,
     * blank-padded as stored), name (19), json (114) and jsonb (3802) {@link String}; "char" (18) a {@link String}
     * in PostgreSQL's text output form (empty for {@code \0}, {@code \ooo} octal above 127); uuid (2950)
     * {@link UUID}; date (1082) {@link LocalDate}, ±infinity as {@link LocalDate#MAX}/{@link LocalDate#MIN};
     * timestamp (1114) {@link LocalDateTime}, ±infinity as MAX/MIN; timestamptz (1184) {@link OffsetDateTime} at
     * UTC, ±infinity as {@link OffsetDateTime#MAX}/{@link OffsetDateTime#MIN}; time (1083) {@link LocalTime},
     * {@code 24:00:00} as {@link LocalTime#MAX}; timetz (1266) {@link OffsetTime}; interval (1186) a
     * {@link String} in PostgreSQL's {@code iso_8601} interval style, e.g. {@code P1Y2M3DT4H5M6.5S}, or
     * {@code infinity}/{@code -infinity}; bytea (17) {@code byte[]}; the arrays {@link #elementOid} knows a
     * {@code List<Object>}, one nesting level per dimension, null for NULL elements, elements decoded by the element
     * OID in the array header (lower bounds are not kept: {@code '[0:1]={1,2}'} decodes as {@code [1, 2]});
     * any other OID a {@link PgRaw} holding a copy of the bytes.
     *
     * @param typeOid the column's type OID ({@code pg_attribute.atttypid})
     * @param buf     the buffer holding the field; never null
     * @param offset  index of the field's first byte in {@code buf}, after the int32 length
     * @param length  the field's length in bytes, 0 or more (callers handle length -1, which is NULL)
     * @return the value, never null
     * @throws IllegalArgumentException naming {@code typeOid} when the bytes are malformed for the type (wrong length,
     *                                  out-of-range digits, invalid UTF-8, truncated array), or when
     *                                  {@code offset}/{@code length} lie outside {@code buf}
     */
    public static Object decode(int typeOid, byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw malformed(typeOid, "offset " + offset + " and length " + length
                    + " lie outside a buffer of " + buf.length + " bytes");
        }
        int fixedLength = fixedLength(typeOid);
        if (fixedLength >= 0 && length != fixedLength) {
            throw malformed(typeOid, "expected " + fixedLength + " bytes but got " + length);
        }
        return switch (typeOid) {
            case BOOL -> buf[offset] != 0;
            case INT2 -> (short) readInt16(buf, offset);
            case INT4 -> readInt32(buf, offset);
            case INT8 -> readInt64(buf, offset);
            case OID -> readInt32(buf, offset) & 0xFFFF_FFFFL;
            case FLOAT4 -> Float.intBitsToFloat(readInt32(buf, offset));
            case FLOAT8 -> Double.longBitsToDouble(readInt64(buf, offset));
            case NUMERIC -> decodeNumeric(buf, offset, length);
            case TEXT, VARCHAR, BPCHAR, NAME, JSON -> utf8(typeOid, buf, offset, length);
            case JSONB -> decodeJsonb(buf, offset, length);
            case CHAR -> charText(buf[offset]);
            case UUID_OID -> new UUID(readInt64(buf, offset), readInt64(buf, offset + 8));
            case DATE -> decodeDate(readInt32(buf, offset));
            case TIMESTAMP -> decodeTimestamp(readInt64(buf, offset));
            case TIMESTAMPTZ -> decodeTimestamptz(readInt64(buf, offset));
            case TIME -> decodeTime(typeOid, readInt64(buf, offset));
            case TIMETZ -> decodeTimetz(buf, offset);
            case INTERVAL -> intervalText(readInt64(buf, offset), readInt32(buf, offset + 8),
                    readInt32(buf, offset + 12));
            case BYTEA -> Arrays.copyOfRange(buf, offset, offset + length);
            default -> elementOid(typeOid) != 0
                    ? decodeArray(typeOid, buf, offset, length)
                    : new PgRaw(typeOid, Arrays.copyOfRange(buf, offset, offset + length));
        };
    }

    /**
     * PostgreSQL's text input form of a value, exact: the column's input function parses it back to the identical
     * value. Accepts every type {@link #decode} returns (except {@link PgRaw}) and plain Java values: {@link String},
     * {@link Character}, {@link Boolean} ({@code t}/{@code f}), any {@link Number} ({@link BigDecimal} keeps its
     * scale, written without exponent; floats as {@code NaN}/{@code Infinity}/{@code -Infinity} or Java's shortest
     * round-trip digits), {@link UUID}, {@link LocalDate}, {@link LocalDateTime}, {@link OffsetDateTime} (with its
     * offset), {@link ZonedDateTime} and {@link Instant} (as the offset date-time), {@link LocalTime},
     * {@link OffsetTime}, {@link Duration} and {@link Period} (ISO-8601, for interval), {@code byte[]}
     * ({@code \x} hex), {@link List} and {@code Object[]} (array literal {@code {..}}, nested lists for more
     * dimensions, elements quoted and escaped as needed, null as {@code NULL}) and {@link Map} (JSON object text).
     *
     * <p>Dates and timestamps use ISO order (any {@code DateStyle} reads them), years before 1 with a {@code BC}
     * suffix; MAX/MIN are {@code infinity}/{@code -infinity}; {@link LocalTime#MAX} is {@code 24:00:00}. Fractional
     * seconds are written to the nanosecond when the value has sub-microsecond digits, which PostgreSQL rounds to
     * microseconds: only those values do not come back identical.
     *
     * @param value the value; may be null
     * @return the text, or null when {@code value} is null
     * @throws IllegalArgumentException for a {@link PgRaw} (the message names its OID), a Java type listed nowhere
     *                                  above, a map key that is null, or a NaN/infinite number inside a {@link Map}
     */
    public static String toText(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        PgTextForm.appendText(sb, value);
        return sb.toString();
    }

    /**
     * Appends a value as one field of COPY's text format: {@link #toText} with backslash, tab, newline and carriage
     * return escaped as {@code \\}, {@code \t}, {@code \n} and {@code \r}; null as {@code \N}. The caller writes the
     * tab between fields and the newline after each row.
     *
     * @param out   where to append; never null
     * @param value the value; may be null
     * @throws IllegalArgumentException as {@link #toText} does
     */
    public static void appendCopyText(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        String text = toText(value);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    /**
     * @param typeOid a type OID
     * @return true when {@link #decode} turns values of this type into Java values; false when it keeps them as
     *         {@link PgRaw} (inet, ranges, geometric types, ...), which {@link #toText} cannot write
     */
    public static boolean decodes(int typeOid) {
        return elementOid(typeOid) != 0 || switch (typeOid) {
            case BOOL, INT2, INT4, INT8, OID, FLOAT4, FLOAT8, NUMERIC, TEXT, VARCHAR, BPCHAR, NAME, JSON, JSONB, CHAR,
                 UUID_OID, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, TIMETZ, INTERVAL, BYTEA -> true;
            default -> false;
        };
    }

    /**
     * The element type of an array type this codec decodes.
     *
     * @param arrayOid a type OID
     * @return the element type's OID, e.g. 23 for int4[] (1007); 0 when {@code arrayOid} is not one of bool[] 1000,
     *         bytea[] 1001, "char"[] 1002, name[] 1003, int2[] 1005, int4[] 1007, text[] 1009, bpchar[] 1014,
     *         varchar[] 1015, int8[] 1016, float4[] 1021, float8[] 1022, oid[] 1028, timestamp[] 1115, date[] 1182,
     *         time[] 1183, timestamptz[] 1185, interval[] 1187, numeric[] 1231, timetz[] 1270, json[] 199,
     *         uuid[] 2951, jsonb[] 3807
     */
    public static int elementOid(int arrayOid) {
        return switch (arrayOid) {
            case 1000 -> BOOL;
            case 1001 -> BYTEA;
            case 1002 -> CHAR;
            case 1003 -> NAME;
            case 1005 -> INT2;
            case 1007 -> INT4;
            case 1009 -> TEXT;
            case 1014 -> BPCHAR;
            case 1015 -> VARCHAR;
            case 1016 -> INT8;
            case 1021 -> FLOAT4;
            case 1022 -> FLOAT8;
            case 1028 -> OID;
            case 1115 -> TIMESTAMP;
            case 1182 -> DATE;
            case 1183 -> TIME;
            case 1185 -> TIMESTAMPTZ;
            case 1187 -> INTERVAL;
            case 1231 -> NUMERIC;
            case 1270 -> TIMETZ;
            case 199 -> JSON;
            case 2951 -> UUID_OID;
            case 3807 -> JSONB;
            default -> 0;
        };
    }

    // ---- decoding ----------------------------------------------------------------------------------------------

    /** @return the binary size of a fixed-size type, or -1 for types of variable size and unknown types */
    private static int fixedLength(int typeOid) {
        return switch (typeOid) {
            case BOOL, CHAR -> 1;
            case INT2 -> 2;
            case INT4, OID, FLOAT4, DATE -> 4;
            case INT8, FLOAT8, TIMESTAMP, TIMESTAMPTZ, TIME -> 8;
            case TIMETZ -> 12;
            case INTERVAL, UUID_OID -> 16;
            default -> -1;
        };
    }

    private static Object decodeNumeric(byte[] buf, int off, int len) {
        if (len < 8) {
            throw malformed(NUMERIC, "expected at least 8 header bytes but got " + len);
        }
        int ndigits = readInt16(buf, off) & 0xFFFF;
        int weight = (short) readInt16(buf, off + 2);
        int sign = readInt16(buf, off + 4) & 0xFFFF;
        int dscale = readInt16(buf, off + 6) & 0xFFFF;
        switch (sign) {
            case NUMERIC_NAN:
                return Double.NaN;
            case NUMERIC_PINF:
                return Double.POSITIVE_INFINITY;
            case NUMERIC_NINF:
                return Double.NEGATIVE_INFINITY;
            case NUMERIC_POS, NUMERIC_NEG:
                break;
            default:
                throw malformed(NUMERIC, "unknown sign 0x" + Integer.toHexString(sign));
        }
        if (len != 8 + 2 * ndigits || dscale > 0x3FFF) {
            throw malformed(NUMERIC, ndigits + " digits and scale " + dscale + " in " + len + " bytes");
        }
        BigInteger unscaled = numericDigits(buf, off + 8, ndigits);
        BigDecimal value = new BigDecimal(sign == NUMERIC_NEG ? unscaled.negate() : unscaled,
                4 * (ndigits - 1 - weight));
        try {
            return value.setScale(dscale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw malformed(NUMERIC, "digits beyond the display scale " + dscale);
        }
    }

    /** @return the base-10000 digits at {@code off} as one integer */
    private static BigInteger numericDigits(byte[] buf, int off, int ndigits) {
        BigInteger result = BigInteger.ZERO;
        long chunk = 0;
        int inChunk = 0;
        for (int i = 0; i < ndigits; i++) {
            int digit = readInt16(buf, off + 2 * i);
            if (digit < 0 || digit > 9999) {
                throw malformed(NUMERIC, "digit " + digit + " is outside 0..9999");
            }
            chunk = chunk * 10_000 + digit;
            if (++inChunk == 4) {
                result = result.multiply(BigInteger.TEN.pow(16)).add(BigInteger.valueOf(chunk));
                chunk = 0;
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            result = result.multiply(BigInteger.TEN.pow(4 * inChunk)).add(BigInteger.valueOf(chunk));
        }
        return result;
    }

    private static String decodeJsonb(byte[] buf, int off, int len) {
        if (len < 1 || buf[off] != 1) {
            throw malformed(JSONB, "expected version byte 1 but got " + (len < 1 ? "no bytes" : buf[off]));
        }
        return utf8(JSONB, buf, off + 1, len - 1);
    }

    /** "char" as PostgreSQL's charout writes it: {@code \0} empty, bytes above 127 as {@code \ooo} octal. */
    private static String charText(byte b) {
        int v = b & 0xFF;
        if (v == 0) {
            return "";
        }
        if (v < 128) {
            return String.valueOf((char) v);
        }
        return "\\" + (v >> 6) + ((v >> 3) & 7) + (v & 7);
    }

    private static LocalDate decodeDate(int days) {
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(PG_EPOCH_DAYS + days);
    }

    private static LocalDateTime decodeTimestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        long seconds = Math.floorDiv(micros, MICROS_PER_SECOND) + PG_EPOCH_SECONDS;
        int nanos = (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    private static OffsetDateTime decodeTimestamptz(long micros) {
        if (micros == Long.MAX_VALUE) {
            return OffsetDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return OffsetDateTime.MIN;
        }
        return decodeTimestamp(micros).atOffset(ZoneOffset.UTC);
    }

    private static LocalTime decodeTime(int typeOid, long micros) {
        if (micros == MICROS_PER_DAY) {
            return LocalTime.MAX;
        }
        if (micros < 0 || micros > MICROS_PER_DAY) {
            throw malformed(typeOid, micros + " microseconds is outside a day");
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }

    private static OffsetTime decodeTimetz(byte[] buf, int off) {
        LocalTime time = decodeTime(TIMETZ, readInt64(buf, off));
        int secondsWest = readInt32(buf, off + 8);
        try {
            return OffsetTime.of(time, ZoneOffset.ofTotalSeconds(-secondsWest));
        } catch (java.time.DateTimeException e) {
            throw malformed(TIMETZ, "zone offset of " + secondsWest + " seconds west is out of range");
        }
    }

    /**
     * An interval as PostgreSQL writes it with {@code IntervalStyle = iso_8601} (its EncodeInterval): every field
     * keeps its own sign, so {@code '-1 mons +2 days -00:00:03.5'} is {@code P-1M2DT-3.5S}.
     */
    private static String intervalText(long micros, int days, int months) {
        if (micros == Long.MAX_VALUE && days == Integer.MAX_VALUE && months == Integer.MAX_VALUE) {
            return "infinity";
        }
        if (micros == Long.MIN_VALUE && days == Integer.MIN_VALUE && months == Integer.MIN_VALUE) {
            return "-infinity";
        }
        long hours = micros / MICROS_PER_HOUR;
        long minutes = micros % MICROS_PER_HOUR / MICROS_PER_MINUTE;
        long seconds = micros % MICROS_PER_MINUTE / MICROS_PER_SECOND;
        long fraction = micros % MICROS_PER_SECOND;
        if (months == 0 && days == 0 && micros == 0) {
            return "PT0S";
        }
        StringBuilder sb = new StringBuilder("P");
        isoPart(sb, months / 12, 'Y');
        isoPart(sb, months % 12, 'M');
        isoPart(sb, days, 'D');
        if (micros != 0) {
            sb.append('T');
        }
        isoPart(sb, hours, 'H');
        isoPart(sb, minutes, 'M');
        if (seconds != 0 || fraction != 0) {
            if (seconds < 0 || fraction < 0) {
                sb.append('-');
            }
            sb.append(Math.abs(seconds));
            PgTextForm.appendFraction(sb, (int) Math.abs(fraction) * 1000);
            sb.append('S');
        }
        return sb.toString();
    }

    private static void isoPart(StringBuilder sb, long value, char designator) {
        if (value != 0) {
            sb.append(value).append(designator);
        }
    }

    private static List<Object> decodeArray(int typeOid, byte[] buf, int off, int len) {
        ArrayReader reader = new ArrayReader(typeOid, buf, off, off + len);
        int ndim = reader.int32();
        int flags = reader.int32();
        int elementOid = reader.int32();
        if (ndim < 0 || ndim > MAX_DIMENSIONS || (flags & ~1) != 0) {
            throw malformed(typeOid, "array header has " + ndim + " dimensions and flags " + flags);
        }
        int[] sizes = new int[ndim];
        long total = 1;
        for (int d = 0; d < ndim; d++) {
            sizes[d] = reader.int32();
            reader.int32(); // lower bound: a List has none
            total *= Math.max(sizes[d], 0);
            if (sizes[d] < 0 || total * 4 > len) {
                throw malformed(typeOid, "array dimension " + (d + 1) + " of size " + sizes[d]
                        + " does not fit in " + len + " bytes");
            }
        }
        List<Object> result = ndim == 0 ? new ArrayList<>() : reader.dimension(elementOid, sizes, 0);
        reader.expectEnd();
        return result;
    }

    /** Reads the elements of an array field, in PostgreSQL's row-major order. */
    private static final class ArrayReader {
        private final int typeOid;
        private final byte[] buf;
        private final int end;
        private int pos;

        ArrayReader(int typeOid, byte[] buf, int pos, int end) {
            this.typeOid = typeOid;
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        int int32() {
            need(4);
            int v = readInt32(buf, pos);
            pos += 4;
            return v;
        }

        List<Object> dimension(int elementOid, int[] sizes, int d) {
            List<Object> list = new ArrayList<>(sizes[d]);
            for (int i = 0; i < sizes[d]; i++) {
                list.add(d + 1 < sizes.length ? dimension(elementOid, sizes, d + 1) : element(elementOid));
            }
            return list;
        }

        private Object element(int elementOid) {
            int length = int32();
            if (length == -1) {
                return null;
            }
            if (length < 0) {
                throw malformed(typeOid, "array element length " + length);
            }
            need(length);
            Object value = decode(elementOid, buf, pos, length);
            pos += length;
            return value;
        }

        void expectEnd() {
            if (pos != end) {
                throw malformed(typeOid, (end - pos) + " bytes left after the last array element");
            }
        }

        private void need(int n) {
            if (end - pos < n) {
                throw malformed(typeOid, "array is truncated: needed " + n + " more bytes but " + (end - pos)
                        + " are left");
            }
        }
    }

    private static String utf8(int typeOid, byte[] buf, int off, int len) {
        String s = new String(buf, off, len, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0) {
            // the replacement character is either in the data or stands for invalid bytes: decode again, strictly
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, off, len));
            } catch (CharacterCodingException e) {
                throw malformed(typeOid, "invalid UTF-8: " + e.getMessage());
            }
        }
        return s;
    }

    private static int readInt16(byte[] b, int off) {
        return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
    }

    private static int readInt32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static long readInt64(byte[] b, int off) {
        return ((long) readInt32(b, off) << 32) | (readInt32(b, off + 4) & 0xFFFF_FFFFL);
    }

    private static IllegalArgumentException malformed(int typeOid, String what) {
        return new IllegalArgumentException("malformed binary COPY value of type OID " + typeOid + ": " + what);
    }
}
