package io.caravan.destination.redshift;

import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableShape;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgRows;
import io.caravan.dialect.redshift.RedshiftDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fills staging tables on PostgreSQL with plain inserts, standing in for S3 and COPY, which PostgreSQL lacks: every
 * other statement the Redshift destination runs is then the one it runs on Redshift. Remembers the names it was
 * given and which of them {@link #cleanUp} removed.
 */
final class InsertStageLoader implements StageLoader {

    final List<String> loaded = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();

    @Override
    public void load(Connection connection, String stage, TableShape shape, RowData rows, String name)
            throws SQLException {
        insert(connection, stage, shape, PgRows.values(shape, rows));
        loaded.add(name);
        pending.add(name);
    }

    /** Inserts rows (values in shape column order, as PgRows or a RowFormat gives them) into a staging table. */
    static void insert(Connection connection, String stage, TableShape shape, List<Object[]> rows)
            throws SQLException {
        List<Column> columns = shape.columns();
        String sql = "INSERT INTO " + stage + " (" + RedshiftDialect.INSTANCE.columnList(columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, PgBinaryCodec.toText(row[i]), Types.OTHER);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void cleanUp() {
        removed.addAll(pending);
        pending.clear();
    }

    @Override
    public void close() {
        cleanUp();
    }
}
