package io.caravan.serve;

import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;
import io.caravan.runtime.RunListener;
import io.caravan.state.RunRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * Serve mode's log line per finished run, e.g. {@code shop table orders: succeeded in 0.4 s, 250 rows read;
 * warehouse: 250 written, 0 deleted; next run 2026-11-22T10:00:00Z}. Failures are logged at WARN with the error.
 */
final class RunLog implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.caravan.runs");

    @Override
    public void finished(TableRun run) {
        StringBuilder b = new StringBuilder();
        b.append(run.job()).append(" table ").append(run.table().tableName()).append(": ")
                .append(RunRecord.status(run.status()).replace('_', ' '))
                .append(String.format(Locale.ROOT, " in %.1f s, %d rows read", run.seconds(), run.rowsRead()));
        if (run.attempt() > 1) {
            b.append(" (attempt ").append(run.attempt()).append(')');
        }
        for (Map.Entry<String, DestinationStats> e : run.allStats().entrySet()) {
            b.append("; ").append(e.getKey()).append(": ").append(e.getValue().rowsWritten()).append(" written, ")
                    .append(e.getValue().rowsDeleted()).append(" deleted");
        }
        if (run.error() != null) {
            b.append("; error: ").append(run.error());
        }
        b.append(run.nextAttempt() == null ? "; not scheduled again" : "; next attempt " + run.nextAttempt());
        if (run.status() == TableRun.Status.FAILED) {
            LOG.warn(b.toString());
        } else {
            LOG.info(b.toString());
        }
    }
}
