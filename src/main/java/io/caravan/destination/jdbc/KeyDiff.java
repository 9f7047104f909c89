package io.caravan.destination.jdbc;

import io.caravan.batch.KeySource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Mirroring's delete for any SQL destination: loads every primary key the source has ({@link KeySource#keysIn} of
 * every bucket of {@link KeySource#keyBuckets}) into a key staging table in chunks, then deletes the target rows whose
 * key is not there, all in the caller's transaction. Moves every key (unlike the PostgreSQL destination's per-bucket
 * hash comparison), in return for needing nothing from the destination but an INSERT and a DELETE. Rows written
 * after the keys were read are not at risk: a key the target lacks is never deleted, and the caller runs this at the
 * run's last batch, after every row of the run was written.
 *
 * <p>Used by {@link JdbcDestination}; reusable by any destination that can stage keys (Redshift).
 */
public final class KeyDiff {

    /** Binds one key, given in the source's text form, as the key staging table's column wants it. */
    @FunctionalInterface
    public interface KeyBinder {
        /**
         * @param ps    the insert into the key staging table
         * @param index the parameter index
         * @param key   the key as the source prints it ({@code ::text}); never null
         * @throws SQLException from the driver
         */
        void bind(PreparedStatement ps, int index, String key) throws SQLException;
    }

    /** About how many keys one {@link KeySource#keysIn} call returns. */
    static final long KEYS_PER_READ = 50_000;
    /** Keys per JDBC batch of inserts. */
    static final int KEYS_PER_INSERT = 10_000;

    private final Connection connection;
    private final String clearKeyStage;
    private final String insertKey;
    private final String deleteAbsent;
    private final KeyBinder binder;

    /**
     * @param connection    the destination's connection, in the transaction the delete belongs to; never null
     * @param clearKeyStage empties the key staging table (which exists); never null
     * @param insertKey     inserts one key, one parameter; never null
     * @param deleteAbsent  deletes the target rows whose key the key staging table lacks; no parameters; never null
     * @param binder        binds a key to the insert's parameter; never null
     */
    public KeyDiff(Connection connection, String clearKeyStage, String insertKey, String deleteAbsent,
                   KeyBinder binder) {
        this.connection = connection;
        this.clearKeyStage = clearKeyStage;
        this.insertKey = insertKey;
        this.deleteAbsent = deleteAbsent;
        this.binder = binder;
    }

    /**
     * @param source the source's keys; never null
     * @return rows deleted from the target
     * @throws SQLException from the destination
     * @throws io.caravan.source.SourceException when the source's keys cannot be read
     */
    public long deleteGoneRows(KeySource source) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(clearKeyStage);
        }
        Map<Integer, List<Long>> buckets = source.keyBuckets();
        long keys = buckets.values().stream().mapToLong(b -> b.get(0)).sum();
        long perBucket = Math.max(1, keys / Math.max(1, buckets.size()));
        int step = (int) Math.max(1, Math.min(KeySource.BUCKETS, KEYS_PER_READ / perBucket));
        List<Integer> all = new ArrayList<>(new TreeSet<>(buckets.keySet()));
        try (PreparedStatement ps = connection.prepareStatement(insertKey)) {
            int pending = 0;
            for (int i = 0; i < all.size(); i += step) {
                for (String key : source.keysIn(all.subList(i, Math.min(all.size(), i + step)))) {
                    binder.bind(ps, 1, key);
                    ps.addBatch();
                    if (++pending == KEYS_PER_INSERT) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate(deleteAbsent);
        }
    }
}
