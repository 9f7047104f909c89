package io.caravan.destination.pgsql;

import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.destination.KeyBucketDiff;
import io.caravan.dialect.postgres.PostgresDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds and deletes the target rows whose key is gone at the source (mirroring), without moving every key: both
 * sides count and hash their keys per bucket ({@link KeySource#BUCKETS}); only the keys of buckets that differ are
 * fetched from both sides and compared. Keys present at the source only (rows newer than this run's read) are left
 * for the next run.
 */
final class MirrorDiff extends KeyBucketDiff {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final int KEYS_PER_DELETE = 10_000;

    private final Connection connection;
    private final String target;
    private final String key;

    MirrorDiff(Connection connection, TableRun run, String target) {
        super(run);
        this.connection = connection;
        this.target = target;
        this.key = run.shape().primaryKey().get(0);
    }

    @Override
    protected Map<Integer, List<Long>> targetBuckets() throws SQLException {
        Map<Integer, List<Long>> out = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.keyBuckets(target, SQL.quote(key)))) {
            while (rs.next()) {
                out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
        }
        return out;
    }

    @Override
    protected List<String> targetKeys(List<Integer> buckets) throws SQLException {
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

    @Override
    protected long delete(List<String> keys) throws SQLException {
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
