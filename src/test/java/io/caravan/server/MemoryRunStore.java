package io.caravan.server;

import io.caravan.state.RunRecord;
import io.caravan.state.RunStore;
import io.caravan.state.StateException;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run store in memory, for the HTTP tests only (the run statistics aren't what they test): newest first by
 * start, then by the order of first save.
 */
final class MemoryRunStore implements RunStore {

    private final Map<String, RunRecord> runs = new LinkedHashMap<>();
    private final Map<String, Long> order = new LinkedHashMap<>();
    /** When true, {@link #list} fails as an unreachable store would. */
    volatile boolean broken;

    @Override
    public synchronized void save(RunRecord run) {
        runs.put(run.id(), run);
        order.putIfAbsent(run.id(), (long) order.size());
    }

    @Override
    public synchronized Optional<RunRecord> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    @Override
    public synchronized List<RunRecord> list(String job, String table, String status, int limit) {
        if (broken) {
            throw new StateException("cannot read the run store memory: unreachable", null);
        }
        return runs.values().stream()
                .filter(r -> job == null || r.job().equals(job))
                .filter(r -> table == null || r.table().equals(table))
                .filter(r -> status == null || r.status().equals(status))
                .sorted(Comparator.comparing(RunRecord::started)
                        .thenComparing(r -> order.get(r.id())).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public void close() {
    }
}
