package io.caravan.serve;

import io.caravan.batch.DestinationStats;
import io.caravan.batch.Sizes;
import io.caravan.batch.TableRun;
import io.caravan.state.Cursor;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The texts {@link SlackNotifier} posts: plain text with Slack mrkdwn ({@code *bold*}, {@code `code`}), a few short
 * lines each. Times are shown in the settings' time zone. Names, cursors and error messages are escaped as Slack asks
 * ({@code &}, {@code <}, {@code >}); an error message is cut at {@value #MAX_ERROR_CHARS} characters.
 */
final class SlackMessages {

    static final int MAX_ERROR_CHARS = 600;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss VV", Locale.ROOT);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private final ZoneId zone;
    private final LocalTime cutOffTime;

    /**
     * @param zone       the settings' time zone; never null
     * @param cutOffTime the settings' {@code cut_off_time}; null when not set
     */
    SlackMessages(ZoneId zone, LocalTime cutOffTime) {
        this.zone = zone;
        this.cutOffTime = cutOffTime;
    }

    /**
     * @param run a finished run; never null
     * @return the text for its status; null while the run is still {@link TableRun.Status#RUNNING}, and for a run
     *         whose route was stopped (a reload or a shutdown: someone's doing, nothing to act on)
     */
    String finished(TableRun run) {
        return switch (run.status()) {
            case FAILED -> failed(run);
            case SUCCEEDED -> succeeded(run);
            case CUT_OFF -> cutOff(run);
            case RUNNING, STOPPED -> null;
        };
    }

    /** Job, table, destinations, the error's class and message, the attempt and when the next one is. */
    String failed(TableRun run) {
        Throwable error = run.error();
        List<String> lines = new ArrayList<>();
        lines.add(":x: *Run failed*: " + jobAndTable(run) + ", attempt " + run.attempt());
        lines.add("Destinations: " + codes(run.mapping().destinations().keySet()));
        lines.add(error == null ? "Error: unknown" : "Error: `" + error.getClass().getName() + "`: " + message(error));
        Throwable root = rootCause(error);
        if (root != error && !String.valueOf(error.getMessage()).contains(String.valueOf(root.getMessage()))) {
            lines.add("Caused by: `" + root.getClass().getName() + "`: " + message(root));
        }
        lines.add("Next attempt: " + (run.nextAttempt() == null ? "no further attempt" : when(run.nextAttempt())));
        return String.join("\n", lines);
    }

    /** Job, table, mode, rows read, seconds, rows written and deleted and bytes per destination, the cursor after. */
    String succeeded(TableRun run) {
        List<String> lines = new ArrayList<>();
        lines.add(":white_check_mark: *Run succeeded*: " + jobAndTable(run) + ", mode "
                + run.table().mode().wireValue());
        lines.add(String.format(Locale.ROOT, "Read %,d rows in %.1f s", run.rowsRead(), run.seconds()));
        Map<String, DestinationStats> stats = run.allStats();
        if (stats.isEmpty()) {
            lines.add("• no rows written");
        }
        stats.forEach((destination, s) -> lines.add(String.format(Locale.ROOT, "• `%s`: %,d written, %,d deleted, %s",
                escape(destination), s.rowsWritten(), s.rowsDeleted(), Sizes.bytes(s.bytes()))));
        lines.add("Cursor: " + cursor(run.cursorAfter()));
        return String.join("\n", lines);
    }

    /** The cut-off stopped the table: rows so far, the cursor kept, when it resumes. */
    String cutOff(TableRun run) {
        return ":double_vertical_bar: *Run cut off*: " + jobAndTable(run) + " stopped by the cut-off"
                + cutOffAt() + String.format(Locale.ROOT, " after %,d rows read", run.rowsRead())
                + "\nCursor: " + cursor(run.cursorAfter())
                + "\nResumes: " + (run.nextAttempt() == null ? "at its next schedule" : when(run.nextAttempt()));
    }

    /**
     * @param job       job name; never null
     * @param resumesAt when the job's tables may start again; null when unknown
     * @return "job X stopped by the cut-off at HH:MM, resumes at ..."
     */
    String cutOff(String job, ZonedDateTime resumesAt) {
        return ":double_vertical_bar: *Cut-off*: job `" + escape(job) + "` stopped by the cut-off" + cutOffAt()
                + ", resumes " + (resumesAt == null ? "at its next schedule" : "at " + when(resumesAt.toInstant()));
    }

    private String cutOffAt() {
        return cutOffTime == null ? "" : " at " + TIME_OF_DAY.format(cutOffTime);
    }

    private String when(Instant instant) {
        return WHEN.format(instant.atZone(zone));
    }

    private static String jobAndTable(TableRun run) {
        return "job `" + escape(run.job()) + "`, table `" + escape(run.table().tableName()) + "`";
    }

    private static String codes(Iterable<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add("`" + escape(n) + "`"));
        return String.join(", ", quoted);
    }

    private static String message(Throwable e) {
        String text = e.getMessage() == null ? "(no message)" : e.getMessage().strip();
        if (text.length() > MAX_ERROR_CHARS) {
            text = text.substring(0, MAX_ERROR_CHARS) + "…";
        }
        return escape(text);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** @return "none", or the bookmark and key of the cursor, with "initial load" during the first full read */
    static String cursor(Cursor cursor) {
        if (cursor == null) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (cursor.phase() == Cursor.Phase.INITIAL) {
            parts.add("initial load");
        }
        if (cursor.bookmarkValue() != null) {
            parts.add("bookmark `" + escape(cursor.bookmarkValue()) + "`");
        }
        if (cursor.keyValue() != null) {
            parts.add("key `" + escape(cursor.keyValue()) + "`");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }


    /** Slack's escaping of text: {@code &}, {@code <} and {@code >} (api.slack.com, "Formatting text"). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('`', '\'');
    }
}
