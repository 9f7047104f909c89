package io.caravan.destination.redshift;

import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.dialect.redshift.RedshiftDialect;

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
 * Deletes the target rows whose key is gone at the source (mirroring) without moving every key: both sides count and
 * hash their keys per bucket ({@link KeySource#BUCKETS}, the same hashes of the same key text on both sides, see
 * {@link RedshiftDialect#keyBuckets}); only the keys of buckets that differ are fetched and compared. Keys at the
 * source only (rows newer than this run's read) are left for the next run.
 */
final class RedshiftMirror {

    private static final RedshiftDialect SQL = RedshiftDialect.INSTANCE;
    /** About how many keys of each side one comparison step holds in memory. */
    private static final long KEYS_PER_STEP = 50_000;
    /** Parameters of one DELETE (the PostgreSQL protocol allows 32767). */
    private static final int KEYS_PER_DELETE = 1_000;

    private final Connection connection;
    private final TableRun run;
    private final String target;
    private final String keyText;

    /**
     * @param connection the writer's connection, in the last batch's transaction
     * @param run        the run; its shape has a one-column primary key and its key source is set
     * @param target     qualified target
     */
    RedshiftMirror(Connection connection, TableRun run, String target) {
        this.connection = connection;
        this.run = run;
        this.target = target;
        Column key = run.shape().column(run.shape().primaryKey().get(0));
        this.keyText = SQL.keyText(key);
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
             ResultSet rs = s.executeQuery(SQL.keyBuckets(target, keyText))) {
            while (rs.next()) {
                out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
        }
        return out;
    }

    private List<String> targetKeys(List<Integer> buckets) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.keysInBuckets(target, keyText, buckets))) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    private long delete(List<String> keys) throws SQLException {
        long deleted = 0;
        for (int i = 0; i < keys.size(); i += KEYS_PER_DELETE) {
            List<String> chunk = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_DELETE));
            try (PreparedStatement ps = connection.prepareStatement(SQL.deleteKeys(target, keyText, chunk.size()))) {
                for (int p = 0; p < chunk.size(); p++) {
                    ps.setString(p + 1, chunk.get(p));
                }
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }
}
