package io.caravan.cli;

import io.caravan.batch.DestinationStats;
import io.caravan.batch.Sizes;
import io.caravan.batch.TableRun;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table printed at the end of a run: one line per table and destination with rows read, written and deleted,
 * bytes, seconds and rows per second, then the notes of destinations (an s3 destination's Athena DDL, say), then the
 * {@code fields} casts that fell back to the seed's default (per table and field), then the error of each failed
 * table.
 */
final class Summary {

    private static final String[] HEADER = {"job", "table", "destination", "status", "read", "written", "deleted",
        "bytes", "seconds", "rows/s"};

    private final List<TableRun> runs;
    private final List<String> failuresBeforeStart;

    Summary(List<TableRun> runs, List<String> failuresBeforeStart) {
        this.runs = runs;
        this.failuresBeforeStart = failuresBeforeStart;
    }

    void print(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TableRun run : runs) {
            Map<String, DestinationStats> stats = run.allStats();
            if (stats.isEmpty()) {
                rows.add(row(run, "-", null));
            }
            stats.forEach((destination, s) -> rows.add(row(run, destination, s)));
        }
        out.println();
        printAligned(out, rows);
        for (TableRun run : runs) {
            run.allStats().forEach((destination, s) -> {
                for (String note : s.notes()) {
                    out.println();
                    out.println("-- " + run.job() + "." + run.table().tableName() + " -> " + destination + ":");
                    out.println(note);
                }
            });
        }
        for (TableRun run : runs) {
            Map<String, Long> fallbacks = run.castFallbacks();
            if (!fallbacks.isEmpty()) {
                long total = fallbacks.values().stream().mapToLong(Long::longValue).sum();
                out.println("-- " + run.job() + "." + run.table().tableName() + ": " + total
                        + " value(s) would not cast and got the seed's default (int 0, else null): "
                        + String.join(", ", fallbacks.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()).toList()));
            }
        }
        for (TableRun run : runs) {
            if (run.status() == TableRun.Status.FAILED) {
                out.println("FAILED " + run.job() + "." + run.table().tableName() + ": " + message(run.error()));
            }
        }
        for (String f : failuresBeforeStart) {
            out.println("FAILED " + f);
        }
    }

    private static String message(Throwable e) {
        return e == null ? "unknown error" : String.valueOf(e.getMessage());
    }

    private static String[] row(TableRun run, String destination, DestinationStats s) {
        double seconds = run.seconds();
        long written = s == null ? 0 : s.rowsWritten();
        return new String[] {run.job(), run.table().tableName(), destination,
            run.status().name().toLowerCase(Locale.ROOT),
            String.format(Locale.ROOT, "%,d", run.rowsRead()),
            String.format(Locale.ROOT, "%,d", written),
            String.format(Locale.ROOT, "%,d", s == null ? 0 : s.rowsDeleted()),
            Sizes.bytes(s == null ? 0 : s.bytes()),
            String.format(Locale.ROOT, "%.2f", seconds),
            String.format(Locale.ROOT, "%,.0f", seconds > 0 ? run.rowsRead() / seconds : 0)};
    }


    private static void printAligned(PrintStream out, List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean number = i >= 4;
                String cell = number ? " ".repeat(width[i] - r[i].length()) + r[i]
                        : r[i] + " ".repeat(width[i] - r[i].length());
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
