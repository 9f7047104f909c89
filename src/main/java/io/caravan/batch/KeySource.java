package io.caravan.batch;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The primary keys of a source table, seen through hash buckets, so that a mirroring destination finds rows deleted
 * at the source without moving every key across the network (DESIGN §6): both sides sum their keys' hashes per
 * bucket; only the keys of buckets that differ are fetched and compared.
 */
public interface KeySource {

    /** Number of hash buckets both sides use. */
    int BUCKETS = 4096;

    /**
     * @return per bucket number (0 to {@link #BUCKETS} - 1) the pair {count of keys, sum of key hashes}; buckets
     *         without keys are absent
     */
    Map<Integer, List<Long>> keyBuckets();

    /**
     * @param buckets bucket numbers; never empty
     * @return the text form of every key in those buckets
     */
    List<String> keysIn(Collection<Integer> buckets);
}
