package io.caravan.destination.pgsql;

import io.caravan.batch.Column;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.TableSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target tables one destination writer has seen in its run: each is created on first sight with the source's
 * exact column types and key (or checked and completed when it exists), with its staging table, a dump's snapshot
 * table and, when partitioned, its monthly partitions. DDL runs in the caller's transaction. Each target's comment
 * records who writes it ({@link TargetWriters}): a mirroring or dumping run refuses a target another job or source
 * table writes, and a syncing or logging run one that another job mirrors or dumps.
 */
final class TargetTables {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final String STAGE_SUFFIX = "__caravan_stage";
    private static final String SNAPSHOT_SUFFIX = "__caravan_snapshot";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final TableRun run;
    private final DestinationSpec spec;
    private final TableSpec table;
    private final Connection connection;
    private final String where;
    private final Map<String, TargetTable> targets = new HashMap<>();

    /**
     * @param run        the run; its shape is known
     * @param spec       the destination
     * @param connection the writer's connection
     * @param where      the start of every message: job, table, destination
     */
    TargetTables(TableRun run, DestinationSpec spec, Connection connection, String where) {
        this.run = run;
        this.spec = spec;
        this.table = run.table();
        this.connection = connection;
        this.where = where;
    }

    /** @return the targets seen so far */
    Collection<TargetTable> all() {
        return targets.values();
    }

    /** Forgets every target, after a rollback undid their DDL. */
    void clear() {
        targets.clear();
    }

    /** Creates or checks the target table on first sight in this run. */
    TargetTable get(String name) throws SQLException {
        TargetTable t = targets.get(name);
        if (t != null) {
            return t;
        }
        String qualified = SQL.qualified(spec.schema(), name);
        TableShape shape = run.shape();
        lockDefinition(name);
        Set<String> existing = existingColumns(name);
        if (existing.isEmpty()) {
            createTable(qualified, name, shape);
            claim(name, qualified, true);
        } else {
            claim(name, qualified, false);
            checkUniqueKey(name);
            for (Column c : shape.columns()) {
                if (!existing.contains(c.name())) {
                    execute(SQL.addColumn(qualified, c));
                }
            }
        }
        String stage = SQL.derivedName(name, STAGE_SUFFIX);
        execute(SQL.createStage(stage, shape.columns()));
        String snapshot = table.mode() == Mode.DUMPING ? createSnapshot(name) : null;
        boolean direct = table.mode() != Mode.DUMPING && table.partitionCol() == null && !shape.primaryKey().isEmpty();
        t = new TargetTable(name, qualified, SQL.quote(stage), snapshot, direct);
        targets.put(name, t);
        return t;
    }

    /** @return the qualified snapshot table of a dump, created empty (any left by a run that died is dropped) */
    private String createSnapshot(String name) throws SQLException {
        String snapshot = SQL.qualified(spec.schema(), SQL.derivedName(name, SNAPSHOT_SUFFIX));
        execute(SQL.dropTable(snapshot));
        execute(SQL.createTable(snapshot, run.shape().columns(), List.of(), null, true));
        return snapshot;
    }

    /**
     * Waits for the target's definition lock, held until this transaction ends: runs that share a target (syncing
     * shards) would otherwise both find it missing and both create it (the second fails on
     * {@code pg_type_typname_nsp_index}), or both rewrite its comment, each without the other's line.
     */
    private void lockDefinition(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL.advisoryXactLock())) {
            ps.setString(1, SQL.targetLockKey(spec.dbName(), spec.schema(), name) + " definition");
            ps.execute();
        }
    }

    /**
     * Records this run's job, source table and mode among the target's writers, unless the target has a writer it
     * cannot share with: a mirroring run deletes the rows it did not read, so another job's (two shards of one
     * source table, say) would be deleted at every run; two dumps would share one snapshot table. Syncing and
     * logging share a target with each other (disjoint upserts). A target without writers (created before Caravan
     * kept them, or by hand) is taken as it is.
     *
     * @param created true when this run just created the target
     * @throws DestinationException naming the other writer, and what to do
     */
    private void claim(String name, String qualified, boolean created) throws SQLException {
        TargetWriters writers = new TargetWriters(created ? null : comment(name));
        TargetWriters.Writer me = new TargetWriters.Writer(run.job(), table.sourceSchema() + "." + table.sourceName(),
                table.mode().wireValue());
        TargetWriters.Writer other = writers.conflict(me);
        if (other != null) {
            throw new DestinationException(where + ": target table " + spec.schema() + "." + name + " is written by "
                    + other + "; mirroring and dumping need a target of their own: set another schema", null);
        }
        String updated = writers.with(me);
        if (updated != null) {
            recordWriters(qualified, updated);
        }
    }

    /**
     * Writes the target's comment. Only the table's owner may: a target created by another role and written with
     * privileges only is taken without its writers recorded, as before Caravan kept them.
     */
    private void recordWriters(String qualified, String comment) throws SQLException {
        Savepoint sp = connection.setSavepoint();
        try {
            execute(SQL.commentOnTable(qualified, comment));
            connection.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(sp);
        }
    }

    private String comment(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL.tableComment())) {
            ps.setString(1, spec.schema());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * @return the key the target is written by: the source's key, then {@code migration_snapshot_date} for a dump,
     *         then the partition column unless the key has it; empty when the source has no key
     */
    private List<String> targetKey() {
        List<String> key = new ArrayList<>(run.shape().primaryKey());
        if (key.isEmpty()) {
            return key;
        }
        if (table.mode() == Mode.DUMPING) {
            key.add(PostgresDialect.SNAPSHOT_COLUMN);
        }
        String partitionCol = table.partitionCol();
        if (partitionCol != null && !key.contains(partitionCol)) {
            key.add(partitionCol);
        }
        return key;
    }

    /**
     * A target that existed before the run must have a unique key on exactly {@link #targetKey()}: without one, a
     * direct COPY never meets the unique violation that makes it merge instead, and every row written again (a batch
     * replayed after a crash, a row re-read inside a lag) would be there twice.
     *
     * @throws DestinationException naming the target and the key, and what to do
     */
    private void checkUniqueKey(String name) throws SQLException {
        List<String> key = targetKey();
        if (key.isEmpty() || hasUniqueKey(name, key)) {
            return;
        }
        String columns = String.join(", ", key);
        throw new DestinationException(where + ": target table " + spec.schema() + "." + name
                + " exists without a primary key or unique index on exactly (" + columns + "), so rows written again"
                + " would be duplicated; add a primary key on (" + columns + ") or drop the table and let Caravan"
                + " create it", null);
    }

    private boolean hasUniqueKey(String name, List<String> key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL.hasUniqueKey())) {
            ps.setString(1, spec.schema());
            ps.setString(2, name);
            ps.setArray(3, connection.createArrayOf("text", key.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Set<String> existingColumns(String name) throws SQLException {
        Set<String> out = new java.util.HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL.existingColumns())) {
            ps.setString(1, spec.schema());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private void createTable(String qualified, String name, TableShape shape) throws SQLException {
        List<Column> columns = new ArrayList<>(shape.columns());
        if (table.mode() == Mode.DUMPING) {
            columns.add(new Column(PostgresDialect.SNAPSHOT_COLUMN, "timestamp with time zone", 1184, true));
        }
        String partitionCol = table.partitionCol();
        execute(SQL.createTable(qualified, columns, targetKey(), partitionCol, false));
        if (partitionCol != null) {
            String partition = SQL.derivedName(name, "_default");
            execute(SQL.createDefaultPartition(qualified, SQL.qualified(spec.schema(), partition)));
        }
    }

    /** Creates the monthly partitions that rows of {@code source} need. */
    void ensureMonths(TargetTable t, String source) throws SQLException {
        List<String> months = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(SQL.monthsIn(source, table.partitionCol()))) {
            while (rs.next()) {
                months.add(rs.getString(1));
            }
        }
        String type = run.shape().column(table.partitionCol()).sqlType();
        for (String month : months) {
            if (t.months.add(month)) {
                java.time.LocalDate from = java.time.LocalDate.parse(month);
                String partition = SQL.qualified(spec.schema(), SQL.derivedName(t.name,
                        "_p" + from.getYear() + "_" + String.format("%02d", from.getMonthValue())));
                execute(SQL.createMonthPartition(t.qualified, partition, from.toString(),
                        from.plusMonths(1).toString(), type));
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }
}
