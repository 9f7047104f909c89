package io.caravan.destination.pgsql;

import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.dialect.postgres.PostgresDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds and deletes the target rows whose key is gone at the source (mirroring), without moving every key: both
 * sides count and hash their keys per bucket ({@link KeySource#BUCKETS}); only the keys of buckets that differ are
 * fetched from both sides and compared. Keys present at the source only (rows newer than this run's read) are left
 * for the next run.
 */
final class MirrorDiff {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    /** About how many keys of each side one comparison step holds in memory. */
    private static final long KEYS_PER_STEP = 50_000;
    private static final int KEYS_PER_DELETE = 10_000;

    private final Connection connection;
    private final TableRun run;
    private final String target;
    private final String key;

    MirrorDiff(Connection connection, TableRun run, String target) {
        this.connection = connection;
        this.run = run;
        this.target = target;
        this.key = run.shape().primaryKey().get(0);
    }

    /** @return rows deleted */
    long deleteGoneRows() throws SQLException {
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

    private Map<Integer, List<Long>> targetBuckets() throws SQLException {
        Map<Integer, List<Long>> out = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.keyBuckets(target, SQL.quote(key)))) {
            while (rs.next()) {
                out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
        }
        return out;
    }

    private List<String> targetKeys(List<Integer> buckets) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL.keysInBuckets(target, SQL.quote(key)))) {
            ps.setArray(1, connection.createArrayOf("int4", buckets.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private long delete(List<String> keys) throws SQLException {
        long deleted = 0;
        String keyType = run.shape().column(key).sqlType();
        try (PreparedStatement ps = connection.prepareStatement(SQL.deleteKeys(target, key, keyType))) {
            for (int i = 0; i < keys.size(); i += KEYS_PER_DELETE) {
                List<String> chunk = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_DELETE));
                ps.setArray(1, connection.createArrayOf("text", chunk.toArray()));
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }
}
