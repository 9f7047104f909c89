package io.caravan.cli;

import io.caravan.batch.TableRun;
import io.caravan.runtime.RunTracker;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line per running table every few seconds: rows read, rows/s and, when the source gave an
 * estimate, the percentage and ETA. Tables that finish within the first interval print nothing.
 */
final class Progress {

    private final RunTracker tracker;
    private final int intervalSeconds;
    private final PrintStream out;
    private volatile Thread thread;

    Progress(RunTracker tracker, int intervalSeconds, PrintStream out) {
        this.tracker = tracker;
        this.intervalSeconds = intervalSeconds;
        this.out = out;
    }

    void start() {
        if (intervalSeconds <= 0) {
            return;
        }
        Thread t = new Thread(this::loop, "caravan-progress");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private void loop() {
        try {
            while (thread != null) {
                Thread.sleep(intervalSeconds * 1000L);
                for (TableRun run : tracker.runningRuns()) {
                    out.println(line(run));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return e.g. {@code shop.orders: 1,200,000 rows (60%), 95,000 rows/s, ETA 0:08} */
    static String line(TableRun run) {
        long rows = run.rowsRead();
        double seconds = Math.max(run.seconds(), 0.001);
        double rate = rows / seconds;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s.%s: %,d rows", run.job(),
                run.table().tableName(), rows));
        long estimate = run.estimatedRows();
        if (estimate > 0) {
            sb.append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, rows * 100 / estimate)));
        }
        sb.append(String.format(Locale.ROOT, ", %,.0f rows/s", rate));
        if (estimate > rows && rate > 0) {
            long eta = (long) ((estimate - rows) / rate);
            sb.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
        }
        return sb.toString();
    }
}
