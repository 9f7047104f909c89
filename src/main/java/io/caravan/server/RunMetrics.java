package io.caravan.server;

import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;
import io.caravan.runtime.RunListener;
import io.caravan.serve.JobControl;
import io.caravan.serve.JobControl.JobView;
import io.caravan.serve.JobControl.TableView;
import io.caravan.state.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serve mode's Prometheus metrics (issue 5, "HTTP"), counted from finished runs and read from the jobs at scrape
 * time. Names and labels, as Prometheus shows them:
 * <ul>
 *   <li>{@code caravan_rows_read_total}, {@code caravan_bytes_read_total} {job, table}: rows and bytes read</li>
 *   <li>{@code caravan_rows_written_total}, {@code caravan_rows_deleted_total}, {@code caravan_bytes_written_total}
 *       {job, table, destination}: rows written (inserted or upserted), deleted (mirroring) and bytes sent</li>
 *   <li>{@code caravan_run_seconds} {job, table}: a timer of run durations ({@code _count}, {@code _sum},
 *       {@code _max})</li>
 *   <li>{@code caravan_runs_total} {job, table, status}: ended runs by status (succeeded, failed, cut_off,
 *       stopped)</li>
 *   <li>{@code caravan_run_failures_total} {job, table}: failed runs</li>
 *   <li>{@code caravan_lag_seconds} {job, table}: seconds between now and the table's committed bookmark, for
 *       tables whose bookmark is a time ({@link TableView#lagSeconds()})</li>
 *   <li>{@code caravan_table_running} {job, table}: 1 while a run of the table is under way here, else 0</li>
 *   <li>the JVM's memory, threads, classes, CPU and uptime ({@code jvm_*}, {@code process_*}, {@code system_*})</li>
 * </ul>
 * Thread-safe; {@link #finished} never throws.
 */
public final class RunMetrics implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge lag = MultiGauge.builder("caravan.lag").baseUnit("seconds")
            .description("seconds between now and the table's committed bookmark").register(registry);
    private final MultiGauge running = MultiGauge.builder("caravan.table.running")
            .description("1 while a run of the table is under way in this process").register(registry);
    private volatile JobControl jobs;

    /** Creates the registry, with the JVM's metrics bound. */
    public RunMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * @param jobs where the lag and running gauges are read at each scrape; null for none (the gauges are then
     *             empty)
     */
    public void watch(JobControl jobs) {
        this.jobs = jobs;
    }

    /** Counts an ended run: rows, bytes, duration, status. Never throws (a failure is logged). */
    @Override
    public void finished(TableRun run) {
        try {
            count(run);
        } catch (RuntimeException e) {
            LOG.error("metrics of run {} (job {}) not counted", run.id(), run.job(), e);
        }
    }

    private void count(TableRun run) {
        String job = run.job();
        String table = run.table().tableName();
        Tags tags = Tags.of("job", job, "table", table);
        counter("caravan.rows.read", "rows read from the source", tags).increment(run.rowsRead());
        counter("caravan.bytes.read", "bytes read from the source", tags).increment(run.bytesRead());
        for (Map.Entry<String, DestinationStats> e : run.allStats().entrySet()) {
            Tags dest = tags.and("destination", e.getKey());
            DestinationStats s = e.getValue();
            counter("caravan.rows.written", "rows written (inserted or upserted)", dest).increment(s.rowsWritten());
            counter("caravan.rows.deleted", "rows deleted (mirroring)", dest).increment(s.rowsDeleted());
            counter("caravan.bytes.written", "bytes sent to the destination", dest).increment(s.bytes());
        }
        Timer.builder("caravan.run").description("duration of runs").tags(tags).register(registry)
                .record(Duration.ofMillis(Math.round(run.seconds() * 1000)));
        String status = RunRecord.status(run.status());
        counter("caravan.runs", "ended runs by status", tags.and("status", status)).increment();
        Counter failures = counter("caravan.run.failures", "failed runs", tags);
        if (run.status() == TableRun.Status.FAILED) {
            failures.increment();
        }
    }

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /**
     * Reads the jobs' lag and running state, then writes every metric.
     *
     * @return the Prometheus text exposition format (version 0.0.4)
     */
    public synchronized String scrape() {
        JobControl source = jobs;
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> runs = new ArrayList<>();
        if (source != null) {
            try {
                for (JobView j : source.jobs()) {
                    for (TableView t : j.tables()) {
                        Tags tags = Tags.of("job", j.name(), "table", t.table());
                        if (t.lagSeconds() != null) {
                            lags.add(MultiGauge.Row.of(tags, t.lagSeconds()));
                        }
                        runs.add(MultiGauge.Row.of(tags, t.running() ? 1 : 0));
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("metrics: cannot read the jobs' lag; the lag gauges keep their last values", e);
                return registry.scrape();
            }
        }
        lag.register(lags, true);
        running.register(runs, true);
        return registry.scrape();
    }

    /** @return the registry, to bind more meters (Camel's, for one) */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
