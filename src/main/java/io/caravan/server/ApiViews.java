package io.caravan.server;

import io.caravan.serve.JobControl.JobView;
import io.caravan.serve.JobControl.TableView;
import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the HTTP API, as maps Jackson writes: keys in snake_case (the mapping's style), times as
 * ISO-8601 UTC text, absent values as null.
 */
final class ApiViews {

    private ApiViews() {
    }

    /**
     * @param job  a job; never null
     * @param runs where each table's last run is looked up; never null
     * @return {@code name, file, active, failing, tables[]}, each table with its {@code last_run} (null when none)
     *         and {@code failing} true when its last ended run failed
     */
    static Map<String, Object> job(JobView job, RunStore runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", job.name());
        m.put("file", job.file());
        m.put("active", job.active());
        List<Map<String, Object>> tables = new ArrayList<>();
        boolean failing = false;
        for (TableView t : job.tables()) {
            List<RunRecord> recent = runs.list(job.name(), t.table(), null, 2);
            RunRecord lastEnded = lastEnded(recent);
            boolean tableFailing = lastEnded != null && "failed".equals(lastEnded.status());
            failing |= tableFailing;
            Map<String, Object> tm = table(t);
            tm.put("failing", tableFailing);
            tm.put("last_run", recent.isEmpty() ? null : run(recent.get(0)));
            tables.add(tm);
        }
        m.put("failing", failing);
        m.put("tables", tables);
        return m;
    }

    /**
     * @param jobs every job; never null
     * @param runs where each table's last ended run is looked up; never null
     * @return {@code status} ({@code UP}, or {@code DEGRADED} when a table's last ended run failed), {@code jobs}
     *         (their number), {@code failing_jobs} (names) and {@code failures} ({@code job, table, run, ended,
     *         error} of each such run)
     */
    static Map<String, Object> health(List<JobView> jobs, RunStore runs) {
        List<Map<String, Object>> failures = new ArrayList<>();
        List<String> failingJobs = new ArrayList<>();
        for (JobView j : jobs) {
            for (TableView t : j.tables()) {
                RunRecord last = lastEnded(runs.list(j.name(), t.table(), null, 2));
                if (last != null && "failed".equals(last.status())) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("job", j.name());
                    f.put("table", t.table());
                    f.put("run", last.id());
                    f.put("ended", time(last.ended()));
                    f.put("error", last.error());
                    failures.add(f);
                    if (!failingJobs.contains(j.name())) {
                        failingJobs.add(j.name());
                    }
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failures.isEmpty() ? "UP" : "DEGRADED");
        body.put("jobs", jobs.size());
        body.put("failing_jobs", failingJobs);
        body.put("failures", failures);
        return body;
    }

    /**
     * @param recent a table's runs, newest first; never null
     * @return the newest run that has ended (a run never overlaps itself, so at most one is running); null when none
     */
    static RunRecord lastEnded(List<RunRecord> recent) {
        return recent.stream().filter(r -> !"running".equals(r.status())).findFirst().orElse(null);
    }

    private static Map<String, Object> table(TableView t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", t.table());
        m.put("mode", t.mode());
        m.put("cron", t.cron());
        m.put("destinations", t.destinations());
        m.put("running", t.running());
        m.put("next_run", time(t.nextRun()));
        m.put("lag_seconds", t.lagSeconds());
        return m;
    }

    /**
     * @param r a run; never null
     * @return its fields, totals over destinations ({@code rows_written}, {@code rows_deleted}, {@code bytes}) and
     *         {@code destinations[]}
     */
    static Map<String, Object> run(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("job", r.job());
        m.put("table", r.table());
        m.put("status", r.status());
        m.put("started", time(r.started()));
        m.put("ended", time(r.ended()));
        m.put("attempt", r.attempt());
        m.put("seconds", r.seconds());
        m.put("rows_read", r.rowsRead());
        m.put("bytes_read", r.bytesRead());
        m.put("rows_written", r.rowsWritten());
        m.put("rows_deleted", r.rowsDeleted());
        m.put("bytes", r.bytes());
        m.put("cursor_before", r.cursorBefore());
        m.put("cursor_after", r.cursorAfter());
        m.put("error", r.error());
        List<Map<String, Object>> dests = new ArrayList<>();
        for (RunRecord.DestinationRun d : r.destinations()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("destination", d.destination());
            dm.put("rows_written", d.rowsWritten());
            dm.put("rows_deleted", d.rowsDeleted());
            dm.put("bytes", d.bytes());
            dm.put("seconds", d.seconds());
            dests.add(dm);
        }
        m.put("destinations", dests);
        return m;
    }

    /**
     * @param message what went wrong, for a person
     * @return {@code {"error": message}}
     */
    static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
