package io.caravan.destination;

import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and deletes the target rows whose key is gone at the source (mirroring), without moving every key (DESIGN
 * §6): both sides count and hash their keys per bucket ({@link KeySource#BUCKETS}); only the keys of buckets that
 * differ are fetched from both sides and compared, about {@link #KEYS_PER_STEP} keys at a time. Keys present at the
 * source only (rows newer than this run's read) are left for the next run. Subclasses give the target's side in
 * their database's SQL.
 */
public abstract class KeyBucketDiff {

    /** About how many keys of each side one comparison step holds in memory. */
    public static final long KEYS_PER_STEP = 50_000;

    /** The run whose target is mirrored; never null. */
    protected final TableRun run;

    /** @param run the run; its key source must be set; never null */
    protected KeyBucketDiff(TableRun run) {
        this.run = run;
    }

    /**
     * @return per bucket number the pair {count of keys, sum of key hashes} of the target, computed as the source's
     *         {@link KeySource#keyBuckets()}; buckets without keys absent
     * @throws SQLException from the target
     */
    protected abstract Map<Integer, List<Long>> targetBuckets() throws SQLException;

    /**
     * @param buckets bucket numbers; never empty
     * @return the text form of every target key in those buckets, as the source's {@link KeySource#keysIn} gives it
     * @throws SQLException from the target
     */
    protected abstract List<String> targetKeys(List<Integer> buckets) throws SQLException;

    /**
     * @param keys text forms of target keys to delete; may be empty
     * @return rows deleted
     * @throws SQLException from the target
     */
    protected abstract long delete(List<String> keys) throws SQLException;

    /**
     * @return rows deleted
     * @throws SQLException from the target
     * @throws NullPointerException when the run has no key source
     */
    public final long deleteGoneRows() throws SQLException {
        KeySource source = Objects.requireNonNull(run.keySource(), "mirroring needs the source's keys");
        Map<Integer, List<Long>> sourceBuckets = source.keyBuckets();
        Map<Integer, List<Long>> targetBuckets = targetBuckets();
        List<Integer> differing = new ArrayList<>();
        for (Map.Entry<Integer, List<Long>> e : targetBuckets.entrySet()) {
            if (!e.getValue().equals(sourceBuckets.get(e.getKey()))) {
                differing.add(e.getKey());
            }
        }
        long deleted = 0;
        int step = bucketsPerStep(targetBuckets);
        for (int i = 0; i < differing.size(); i += step) {
            List<Integer> chunk = differing.subList(i, Math.min(differing.size(), i + step));
            Set<String> sourceKeys = new HashSet<>(source.keysIn(chunk));
            List<String> gone = new ArrayList<>();
            for (String k : targetKeys(chunk)) {
                if (!sourceKeys.contains(k)) {
                    gone.add(k);
                }
            }
            deleted += delete(gone);
        }
        return deleted;
    }

    /** @return how many buckets to compare at once so that a step holds about {@link #KEYS_PER_STEP} keys */
    private static int bucketsPerStep(Map<Integer, List<Long>> buckets) {
        long keys = buckets.values().stream().mapToLong(b -> b.get(0)).sum();
        long perBucket = Math.max(1, keys / KeySource.BUCKETS);
        return (int) Math.max(1, Math.min(KeySource.BUCKETS, KEYS_PER_STEP / perBucket));
    }
}
