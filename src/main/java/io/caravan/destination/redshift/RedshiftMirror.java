package io.caravan.destination.redshift;

import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.destination.KeyBucketDiff;
import io.caravan.dialect.redshift.RedshiftDialect;

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
 * Deletes the target rows whose key is gone at the source (mirroring) without moving every key: both sides count and
 * hash their keys per bucket ({@link KeySource#BUCKETS}, the same hashes of the same key text on both sides, see
 * {@link RedshiftDialect#keyBuckets}); only the keys of buckets that differ are fetched and compared. Keys at the
 * source only (rows newer than this run's read) are left for the next run.
 */
final class RedshiftMirror extends KeyBucketDiff {

    private static final RedshiftDialect SQL = RedshiftDialect.INSTANCE;
    /** Parameters of one DELETE (the PostgreSQL protocol allows 32767). */
    private static final int KEYS_PER_DELETE = 1_000;

    private final Connection connection;
    private final String target;
    private final String keyText;

    /**
     * @param connection the writer's connection, in the last batch's transaction
     * @param run        the run; its shape has a one-column primary key and its key source is set
     * @param target     qualified target
     */
    RedshiftMirror(Connection connection, TableRun run, String target) {
        super(run);
        this.connection = connection;
        this.target = target;
        Column key = run.shape().column(run.shape().primaryKey().get(0));
        this.keyText = SQL.keyText(key);
    }

    @Override
    protected Map<Integer, List<Long>> targetBuckets() throws SQLException {
        Map<Integer, List<Long>> out = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.keyBuckets(target, keyText))) {
            while (rs.next()) {
                out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
        }
        return out;
    }

    @Override
    protected List<String> targetKeys(List<Integer> buckets) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.keysInBuckets(target, keyText, buckets))) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    @Override
    protected long delete(List<String> keys) throws SQLException {
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
