package io.caravan.runtime;

import io.caravan.batch.TableRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knows which table routes are expected to run in this process and which have finished, so that a one-shot
 * {@code caravan run} can stop when the last of them is done. Thread-safe.
 */
public final class RunTracker {

    private final Map<String, TableRun> expected = new LinkedHashMap<>();
    private final List<TableRun> finished = new ArrayList<>();
    private final List<String> failuresBeforeStart = new ArrayList<>();
    private boolean keepFinished = true;

    /**
     * @param keep whether finished runs are kept for {@link #finishedRuns()} (the summary of {@code caravan run});
     *             serve mode does not keep them, its run store does
     */
    public synchronized void keepFinished(boolean keep) {
        this.keepFinished = keep;
    }

    /** @param routeId a table route whose consumer started */
    public synchronized void expect(String routeId) {
        expected.putIfAbsent(routeId, null);
    }

    /** @param run a run that started on route {@code routeId} */
    public synchronized void started(String routeId, TableRun run) {
        expected.put(routeId, run);
    }

    /**
     * @param routeId the route
     * @param run     the finished run (succeeded or failed)
     */
    public synchronized void finished(String routeId, TableRun run) {
        expected.put(routeId, run);
        if (keepFinished) {
            finished.add(run);
        }
        notifyAll();
    }

    /**
     * @param routeId the route
     * @param message why a run could not even start (its mapping failed to load, say), naming mapping and table
     */
    public synchronized void failedToStart(String routeId, String message) {
        if (keepFinished) {
            failuresBeforeStart.add(message);
        }
        expected.remove(routeId);
        notifyAll();
    }

    /**
     * Waits until every expected route has finished one run.
     *
     * @param timeoutMs most milliseconds to wait; 0 for no limit
     * @return true when all finished
     */
    public synchronized boolean awaitAll(long timeoutMs) throws InterruptedException {
        long deadline = timeoutMs == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (finished.size() < expected.size()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 500));
        }
        return true;
    }

    /** @return runs in the order they finished */
    public synchronized List<TableRun> finishedRuns() {
        return new ArrayList<>(finished);
    }

    /** @return runs under way */
    public synchronized List<TableRun> runningRuns() {
        List<TableRun> out = new ArrayList<>();
        for (TableRun r : expected.values()) {
            if (r != null && r.status() == TableRun.Status.RUNNING) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return routes that failed before running */
    public synchronized List<String> failuresBeforeStart() {
        return new ArrayList<>(failuresBeforeStart);
    }

    /** @return number of table routes expected */
    public synchronized int expectedCount() {
        return expected.size();
    }
}
