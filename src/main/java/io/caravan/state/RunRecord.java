package io.caravan.state;

import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of one table, as the run store keeps it (the seed's {@code dashboard_store}).
 *
 * @param id           the run's id ({@link TableRun#id()}); never null
 * @param job          job name; never null
 * @param table        table name as in the mapping; never null
 * @param started      start; never null
 * @param ended        end; null while running
 * @param status       {@code running}, {@code succeeded}, {@code failed}, {@code cut_off} or {@code stopped};
 *                     never null
 * @param attempt      1 for a scheduled attempt, 2 for its first retry, and so on
 * @param rowsRead     rows read from the source
 * @param bytesRead    bytes read from the source
 * @param seconds      seconds from start to end (or to the time of the record while running)
 * @param cursorBefore the committed cursor at the start, as text; null when the table had none
 * @param cursorAfter  the committed cursor at the end, as text; null while running or when there is none
 * @param error        the error's class and message of a failed run; null otherwise
 * @param destinations one entry per destination the run wrote to, in the mapping's order; never null
 */
public record RunRecord(String id, String job, String table, Instant started, Instant ended, String status,
                        int attempt, long rowsRead, long bytesRead, double seconds, String cursorBefore,
                        String cursorAfter, String error, List<DestinationRun> destinations) {

    /**
     * What one run did at one destination.
     *
     * @param destination destination name in the mapping; never null
     * @param rowsWritten rows written (inserted or upserted)
     * @param rowsDeleted rows deleted (mirroring)
     * @param bytes       bytes sent
     * @param seconds     seconds spent writing
     */
    public record DestinationRun(String destination, long rowsWritten, long rowsDeleted, long bytes,
                                 double seconds) {
    }

    /** @return total rows written over all destinations */
    public long rowsWritten() {
        return destinations.stream().mapToLong(DestinationRun::rowsWritten).sum();
    }

    /** @return total rows deleted over all destinations */
    public long rowsDeleted() {
        return destinations.stream().mapToLong(DestinationRun::rowsDeleted).sum();
    }

    /** @return total bytes over all destinations */
    public long bytes() {
        return destinations.stream().mapToLong(DestinationRun::bytes).sum();
    }

    /**
     * @param run a run, running or ended
     * @return its record as of now
     */
    public static RunRecord of(TableRun run) {
        List<DestinationRun> dests = new ArrayList<>();
        for (Map.Entry<String, DestinationStats> e : run.allStats().entrySet()) {
            DestinationStats s = e.getValue();
            dests.add(new DestinationRun(e.getKey(), s.rowsWritten(), s.rowsDeleted(), s.bytes(), s.seconds()));
        }
        Throwable err = run.error();
        return new RunRecord(run.id(), run.job(), run.table().tableName(), run.started(), run.finished(),
                status(run.status()), run.attempt(), run.rowsRead(), run.bytesRead(), run.seconds(),
                text(run.cursorBefore()), text(run.cursorAfter()),
                err == null ? null : err.getClass().getName() + ": " + err.getMessage(), List.copyOf(dests));
    }

    /** @return the status word stored for {@code s}: running, succeeded, failed, cut_off or stopped */
    public static String status(TableRun.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param c a cursor; may be null
     * @return {@code PHASE bookmark=VALUE key=VALUE} with absent parts left out, e.g.
     *         {@code INCREMENTAL bookmark=2024-05-01 10:00:00+00 key=42} or {@code INITIAL key=41}; null for null
     */
    public static String text(Cursor c) {
        if (c == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(c.phase().name());
        if (c.bookmarkValue() != null) {
            b.append(" bookmark=").append(c.bookmarkValue());
        }
        if (c.keyValue() != null) {
            b.append(" key=").append(c.keyValue());
        }
        return b.toString();
    }
}
