package io.caravan.mapping;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.quartz.CronExpression;

/**
 * Schedules of the {@code cron} key: {@code self-managed}, a Quartz expression, or the DMS seed's APScheduler form.
 *
 * <p>The seed form has 8 fields, {@code year month day week day_of_week hour minute second}, with APScheduler's
 * day numbering ({@code 0} is Monday, {@code 6} Sunday). {@code * * * * * 7-19 *}{@code /1 0} (every minute from
 * 07:00 to 19:59) becomes the Quartz {@code 0 *}{@code /1 7-19 * * ? *}. Not convertible, so rejected: a week
 * number other than {@code *}, a step in {@code day_of_week}, and APScheduler's {@code xth y} / {@code last y}
 * day expressions; {@code last} as a day becomes Quartz's {@code L}.
 */
public final class Crons {

    /** What a valid cron looks like, for hints. */
    static final String FORMS = "write self-managed, a Quartz expression (second minute hour day month day_of_week"
            + " [year]) or the seed's 8 fields (year month day week day_of_week hour minute second)";

    private static final String[] DAY_NAMES = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

    private Crons() {
    }

    /**
     * @param cron {@code self-managed}, a Quartz expression of 6 or 7 fields, or the seed's 8-field form
     * @return null for {@code self-managed}; the Quartz expression as given (trimmed); or the seed form converted to
     *         a 7-field Quartz expression with the same firing times
     * @throws IllegalArgumentException {@code invalid cron '<cron>': <reason>} when {@code cron} is null, has
     *                                  another number of fields, or is not valid
     */
    public static String toQuartz(String cron) {
        try {
            return convert(cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron '" + cron + "': " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #toQuartz} but the exception's message is only the reason, e.g.
     * {@code expected 6 or 7 fields (Quartz) or 8 (seed form), found 5}.
     */
    static String convert(String cron) {
        if (cron == null) {
            throw new IllegalArgumentException("no cron given");
        }
        String trimmed = cron.trim();
        if (trimmed.equals(TableSpec.SELF_MANAGED)) {
            return null;
        }
        String[] fields = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (fields.length == 6 || fields.length == 7) {
            return validated(trimmed, "not a valid Quartz expression: ");
        }
        if (fields.length == 8) {
            return validated(fromSeedForm(fields), "not a valid cron: ");
        }
        throw new IllegalArgumentException("expected 6 or 7 fields (Quartz) or 8 (seed form), found "
                + fields.length);
    }

    private static String validated(String quartz, String prefix) {
        try {
            CronExpression.validateExpression(quartz);
            return quartz;
        } catch (ParseException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
    }

    /** From {@code year month day week day_of_week hour minute second} to {@code sec min hour day month dow year}. */
    private static String fromSeedForm(String[] fields) {
        String year = fields[0];
        String month = fields[1];
        String day = dayOfMonth(fields[2]);
        if (!fields[3].equals("*")) {
            throw new IllegalArgumentException("the week field (4th) is not supported; write '*'");
        }
        String dayOfWeek = dayOfWeek(fields[4]);
        if (!day.equals("*") && !dayOfWeek.equals("*")) {
            throw new IllegalArgumentException("day and day_of_week cannot both be set; write '*' for one of them");
        }
        if (dayOfWeek.equals("*")) {
            dayOfWeek = "?";
        } else {
            day = "?";
        }
        return String.join(" ", fields[7], fields[6], fields[5], day, month, dayOfWeek, year);
    }

    private static String dayOfMonth(String field) {
        return field.equalsIgnoreCase("last") ? "L" : field;
    }

    /** APScheduler numbers days from 0 = Monday; Quartz from 1 = Sunday: write names, which both agree on. */
    private static String dayOfWeek(String field) {
        if (field.equals("*")) {
            return field;
        }
        if (field.contains("/")) {
            throw new IllegalArgumentException(
                    "steps in day_of_week are not supported; list the days, e.g. mon,wed,fri");
        }
        List<String> parts = new ArrayList<>();
        for (String part : field.split(",", -1)) {
            List<String> ends = new ArrayList<>();
            for (String end : part.split("-", -1)) {
                ends.add(dayName(end));
            }
            parts.add(String.join("-", ends));
        }
        return String.join(",", parts);
    }

    private static String dayName(String day) {
        if (day.matches("[0-6]")) {
            return DAY_NAMES[Integer.parseInt(day)];
        }
        String upper = day.toUpperCase(Locale.ROOT);
        for (String name : DAY_NAMES) {
            if (name.equals(upper)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown day of week '" + day + "'; write 0-6 (0 is Monday) or mon-sun");
    }
}
