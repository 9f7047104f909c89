package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgRaw;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Brings a row value to the one Java type of its column's {@link ColumnType.Kind}, so that the formats handle one type
 * per kind. Accepts what {@link PgBinaryCodec#decode} returns, what the formats' {@code read()} returns, and the plain
 * Java values a {@code process_dict} step may put into records (any {@link Number}, {@link String}s in the formats'
 * text forms, {@link Instant}, {@link ZonedDateTime}, {@code Object[]} for lists).
 */
final class Values {

    private static final HexFormat HEX = HexFormat.of();

    private Values() {
    }

    /**
     * @param c the column (for error messages); never null
     * @param t the column's type; never null
     * @param v the value; may be null
     * @return null, or the value as the kind's Java type (see {@link ColumnType.Kind}; UUID as String, DECIMAL and
     *         NUMERIC_TEXT as BigDecimal or a NaN/infinite Double, JSON as String, Map or List)
     * @throws IllegalArgumentException naming the column, the value and its Java type when it cannot be converted
     */
    static Object canonical(Column c, ColumnType t, Object v) {
        if (v == null) {
            return null;
        }
        try {
            return switch (t.kind()) {
                case BOOLEAN -> toBoolean(v);
                case INT16 -> v instanceof Short ? v : (short) exactLong(v, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT32 -> v instanceof Integer ? v : (int) exactLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case INT64 -> v instanceof Long ? v : exactLong(v, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLOAT32 -> v instanceof Float ? v : (v instanceof Number n ? n.floatValue()
                        : Float.parseFloat(v.toString()));
                case FLOAT64 -> v instanceof Double ? v : (v instanceof Number n ? n.doubleValue()
                        : Double.parseDouble(v.toString()));
                case DECIMAL, NUMERIC_TEXT -> toDecimal(v);
                case TEXT -> v instanceof String ? v : PgBinaryCodec.toText(v);
                case JSON -> v instanceof String || v instanceof Map || v instanceof List ? v : PgBinaryCodec.toText(v);
                case UUID -> v instanceof String s ? UUID.fromString(s).toString() : ((UUID) v).toString();
                case DATE -> toDate(v);
                case TIMESTAMP -> toTimestamp(v);
                case TIMESTAMPTZ -> toTimestamptz(v);
                case BYTES -> (byte[]) v;
                case TEXT_FORM -> v instanceof String ? v : textForm(v);
                case LIST -> toList(c, t.element(), v);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(c) + ": cannot take " + show(v) + " ("
                    + v.getClass().getName() + ") as a " + t.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " value: " + e.getMessage(), e);
        }
    }

    /** @return {@code column 'amount' (numeric(12,2))} */
    static String describe(Column c) {
        return "column '" + c.name() + "' (" + c.sqlType() + ")";
    }

    /** @return the value for a message, cut to 100 characters */
    static String show(Object v) {
        String s = v instanceof byte[] b ? "\\x" + HEX.formatHex(b) : String.valueOf(v);
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString()) {
            case "true", "t" -> Boolean.TRUE;
            case "false", "f" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static long exactLong(Object v, long min, long max) {
        long l;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            l = ((Number) v).longValue();
        } else if (v instanceof Number n) {
            l = new BigDecimal(n.toString()).longValueExact();
        } else {
            l = Long.parseLong(v.toString());
        }
        if (l < min || l > max) {
            throw new IllegalArgumentException("out of range " + min + ".." + max);
        }
        return l;
    }

    private static Object toDecimal(Object v) {
        if (v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return v;
        }
        if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return (double) f;
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        String s = v.toString();
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> new BigDecimal(s);
        };
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        return switch (v.toString()) {
            case "infinity" -> LocalDate.MAX;
            case "-infinity" -> LocalDate.MIN;
            default -> LocalDate.parse(v.toString());
        };
    }

    private static LocalDateTime toTimestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime || v instanceof ZonedDateTime || v instanceof Instant) {
            OffsetDateTime t = toTimestamptz(v);
            return t.equals(OffsetDateTime.MAX) ? LocalDateTime.MAX
                    : t.equals(OffsetDateTime.MIN) ? LocalDateTime.MIN : t.toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        return switch (v.toString()) {
            case "infinity" -> LocalDateTime.MAX;
            case "-infinity" -> LocalDateTime.MIN;
            default -> LocalDateTime.parse(v.toString());
        };
    }

    /** Values without an offset (LocalDateTime, text without offset) are taken as UTC. */
    private static OffsetDateTime toTimestamptz(Object v) {
        OffsetDateTime t;
        if (v instanceof OffsetDateTime o) {
            t = o;
        } else if (v instanceof ZonedDateTime z) {
            t = z.toOffsetDateTime();
        } else if (v instanceof Instant i) {
            t = i.atOffset(ZoneOffset.UTC);
        } else if (v instanceof LocalDateTime l) {
            t = l.equals(LocalDateTime.MAX) ? OffsetDateTime.MAX
                    : l.equals(LocalDateTime.MIN) ? OffsetDateTime.MIN : l.atOffset(ZoneOffset.UTC);
        } else {
            String s = v.toString();
            if (s.equals("infinity")) {
                return OffsetDateTime.MAX;
            }
            if (s.equals("-infinity")) {
                return OffsetDateTime.MIN;
            }
            try {
                t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                t = LocalDateTime.parse(s).atOffset(ZoneOffset.UTC);
            }
        }
        if (t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN) || t.getOffset().equals(ZoneOffset.UTC)) {
            return t;
        }
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static List<Object> toList(Column c, ColumnType element, Object v) {
        List<?> in = v instanceof Object[] a ? Arrays.asList(a) : (List<?>) v;
        List<Object> out = new ArrayList<>(in.size());
        for (Object e : in) {
            out.add(e instanceof List<?> || e instanceof Object[] ? toList(c, element, e)
                    : canonical(c, element, e));
        }
        return out;
    }

    /**
     * PostgreSQL's text form of a time, timetz, interval or raw value: {@link PgBinaryCodec#toText}, and for raw
     * values of inet (869), cidr (650), macaddr (829), macaddr8 (774), xml (142), pg_lsn (3220), bit (1560) and
     * varbit (1562) their text output as PostgreSQL writes it (source: PostgreSQL's network.c, mac.c, xml.c,
     * pg_lsn.c and varbit.c send and output functions).
     *
     * @throws IllegalArgumentException for other raw types
     */
    static String textForm(Object v) {
        if (v instanceof PgRaw raw) {
            return rawText(raw);
        }
        return PgBinaryCodec.toText(v);
    }

    private static String rawText(PgRaw raw) {
        byte[] b = raw.bytes();
        switch (raw.typeOid()) {
            case 869, 650 -> {
                // family (2 = inet, 3 = inet6), bits, is_cidr, address length, address bytes
                if (b.length < 4 || b.length != 4 + (b[3] & 0xFF)) {
                    break;
                }
                int bits = b[1] & 0xFF;
                try {
                    InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(b, 4, b.length));
                    String host = a.getHostAddress();
                    if (b.length == 20) {
                        host = compressIpv6(host);
                    }
                    int max = b.length == 8 ? 32 : 128;
                    return raw.typeOid() == 650 || bits != max ? host + "/" + bits : host;
                } catch (UnknownHostException e) {
                    break;
                }
            }
            case 142 -> {
                // xml: xml_send writes the document's text in the client encoding, UTF-8 on Caravan's connections
                return new String(b, java.nio.charset.StandardCharsets.UTF_8);
            }
            case 3220 -> {
                // pg_lsn: a 64-bit position, written as two upper-case hex halves (pg_lsn_out)
                if (b.length != 8) {
                    break;
                }
                long lsn = java.nio.ByteBuffer.wrap(b).getLong();
                return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                        + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(java.util.Locale.ROOT);
            }
            case 1560, 1562 -> {
                // bit, varbit: the bit length (int32), then the bits from the high bit of the first byte (bit_send)
                if (b.length < 4) {
                    break;
                }
                int bits = java.nio.ByteBuffer.wrap(b).getInt();
                if (bits < 0 || (bits + 7) / 8 != b.length - 4) {
                    break;
                }
                StringBuilder sb = new StringBuilder(bits);
                for (int i = 0; i < bits; i++) {
                    sb.append((b[4 + i / 8] >> (7 - i % 8) & 1) == 1 ? '1' : '0');
                }
                return sb.toString();
            }
            case 829, 774 -> {
                StringBuilder sb = new StringBuilder();
                for (byte x : b) {
                    if (!sb.isEmpty()) {
                        sb.append(':');
                    }
                    sb.append(HEX.toHexDigits(x));
                }
                return sb.toString();
            }
            default -> {
            }
        }
        throw new IllegalArgumentException("no text form for values of type OID " + raw.typeOid()
                + "; cast the column to text in the source read");
    }

    /** Java writes {@code 2001:db8:0:0:0:0:0:1}; PostgreSQL writes the longest zero run as {@code ::}. */
    private static String compressIpv6(String full) {
        String[] parts = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < parts.length; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < parts.length && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
        return head + "::" + tail;
    }
}
