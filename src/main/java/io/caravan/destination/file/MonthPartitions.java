package io.caravan.destination.file;

import io.caravan.mapping.PartitionFormat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hive-style month folder ({@code year=2024/month=05/}) of a row, from the value of its {@code partition_col}
 * read as {@code partition_col_format} says (DMS seed, "Tables"). Months are UTC months.
 *
 * <p>How values are read:
 * <ul>
 *   <li>date and time values ({@link LocalDate}, {@link LocalDateTime} taken as UTC, {@link OffsetDateTime},
 *       {@link ZonedDateTime}, {@link Instant}) give their UTC month whatever the format says;</li>
 *   <li>numbers, and with format {@code int} text of digits, are unix epoch seconds; a magnitude above
 *       10<sup>11</sup> (5138 AD in seconds, March 1973 in milliseconds) is taken as milliseconds, since epoch values
 *       in milliseconds are common and seconds that large are not;</li>
 *   <li>other text is parsed as ISO-8601-ish: {@code 2024-05}, {@code 2024-05-01}, {@code 2024-05-01 10:00},
 *       {@code 2024-05-01T10:00:00.123456}, optionally followed by {@code Z} or an offset ({@code +02}, {@code +0200},
 *       {@code +02:00}); with an offset the month is that of the UTC instant, without one the month as written.</li>
 * </ul>
 * NULL, PostgreSQL's {@code infinity} values and values that cannot be read go to Hive's default partition,
 * {@code year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/}. Stateless and thread-safe.
 */
public final class MonthPartitions {

    /** Hive's name of the partition of NULL (and here: unreadable) values. */
    public static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    /** The folder of rows without a month. */
    public static final String DEFAULT_FOLDER = "year=" + HIVE_DEFAULT_PARTITION + "/month=" + HIVE_DEFAULT_PARTITION
            + "/";

    /** Epoch values with a larger magnitude are milliseconds. */
    static final long MILLIS_ABOVE = 100_000_000_000L;

    private static final Pattern ISO = Pattern.compile(
            "\\s*([+-]?\\d{4,6})-(\\d{1,2})(?:-(\\d{1,2})(?:[T ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
                    + "\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?)?\\s*");
    private static final Pattern DIGITS = Pattern.compile("\\s*-?\\d+\\s*");

    private MonthPartitions() {
    }

    /**
     * @param value  the row's partition value; may be null
     * @param format the table's {@code partition_col_format}; never null
     * @return the folder, e.g. {@code year=2024/month=05/}, or {@link #DEFAULT_FOLDER}
     */
    public static String folder(Object value, PartitionFormat format) {
        YearMonth m = month(value, format);
        return m == null ? DEFAULT_FOLDER
                : String.format(Locale.ROOT, "year=%04d/month=%02d/", m.getYear(), m.getMonthValue());
    }

    /**
     * @param value  the partition value; may be null
     * @param format the table's {@code partition_col_format}; never null
     * @return the UTC month of the value, or null when it has none (NULL, infinity, unreadable, outside years
     *         0..9999)
     */
    public static YearMonth month(Object value, PartitionFormat format) {
        YearMonth m;
        try {
            m = read(value, format);
        } catch (RuntimeException e) {
            return null;
        }
        return m == null || m.getYear() < 0 || m.getYear() > 9999 ? null : m;
    }

    private static YearMonth read(Object value, PartitionFormat format) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate d) {
            return d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN) ? null : YearMonth.from(d);
        }
        if (value instanceof LocalDateTime t) {
            return t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN) ? null : YearMonth.from(t);
        }
        if (value instanceof OffsetDateTime t) {
            return t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN) ? null
                    : YearMonth.from(t.withOffsetSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof ZonedDateTime t) {
            return YearMonth.from(t.withZoneSameInstant(ZoneOffset.UTC));
        }
        if (value instanceof Instant i) {
            return YearMonth.from(i.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof Number n) {
            if (n instanceof Double || n instanceof Float) {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return null;
                }
            }
            return epoch(n.longValue());
        }
        String text = value.toString();
        if (format == PartitionFormat.INT && DIGITS.matcher(text).matches()) {
            return epoch(Long.parseLong(text.trim()));
        }
        return text(text);
    }

    private static YearMonth epoch(long v) {
        Instant i = Math.abs(v) > MILLIS_ABOVE ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
        return YearMonth.from(i.atOffset(ZoneOffset.UTC));
    }

    private static YearMonth text(String text) {
        Matcher m = ISO.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        String offset = m.group(8);
        if (offset == null) {
            return YearMonth.of(year, month);
        }
        LocalDateTime local = LocalDateTime.of(year, month, Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
        return YearMonth.from(local.atOffset(offset(offset)).withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static ZoneOffset offset(String text) {
        if (text.equalsIgnoreCase("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = text.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        int sign = text.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
