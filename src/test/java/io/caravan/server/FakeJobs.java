package io.caravan.server;

import io.caravan.serve.JobControl;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serve mode's jobs as the HTTP tests see them: job {@code shop} (tables orders and lines, held here) and job
 * {@code crm} (held by another replica). Records each run-now call as {@code job/table}, {@code job/*} for all
 * tables.
 */
final class FakeJobs implements JobControl {

    /** Lag of shop.orders, in seconds. */
    static final double ORDERS_LAG = 42.5;

    final List<String> runNowCalls = new CopyOnWriteArrayList<>();
    volatile boolean linesRunning;
    private final Instant next = Instant.now().plusSeconds(300);

    @Override
    public List<JobView> jobs() {
        return List.of(
                new JobView("crm", "mappings/crm.yaml", false, List.of(
                        new TableView("contacts", "syncing", "0 0 * * * ?", List.of("warehouse"), false, null,
                                null))),
                new JobView("shop", "mappings/shop.yaml", true, List.of(
                        new TableView("orders", "syncing", "0 */5 * * * ?", List.of("warehouse"), false, next,
                                ORDERS_LAG),
                        new TableView("lines", "dumping", "self-managed", List.of("warehouse", "lake"),
                                linesRunning, null, null))));
    }

    @Override
    public Optional<JobView> job(String name) {
        return jobs().stream().filter(j -> j.name().equals(name)).findFirst();
    }

    @Override
    public List<String> runNow(String job, String table) {
        JobView view = job(job).orElseThrow(() -> new NoSuchElementException("no job " + job));
        if (!view.active()) {
            throw new IllegalStateException("job " + job + " is run by another replica");
        }
        runNowCalls.add(job + "/" + (table == null ? "*" : table));
        List<String> tables = view.tables().stream().map(TableView::table)
                .filter(t -> table == null || t.equals(table)).toList();
        return tables.stream().filter(t -> !(t.equals("lines") && linesRunning)).toList();
    }
}
