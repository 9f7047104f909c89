package io.caravan.dialect.h2;

import io.caravan.batch.Column;
import io.caravan.destination.jdbc.JdbcDialect;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.DestinationSpec;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetTime;
import java.util.List;
import java.util.UUID;

/**
 * H2 2.x. Types follow PostgreSQL's closely (H2 has UUID, TIMESTAMP WITH TIME ZONE, TIME WITH TIME ZONE and
 * arbitrary-precision DECFLOAT); text is {@code CHARACTER VARYING} (at most 1,000,000 characters in H2), json and
 * arrays JSON text in {@code CHARACTER LARGE OBJECT}, bytea {@code BINARY LARGE OBJECT}. Staging tables are
 * {@code LOCAL TEMPORARY}; upsert is {@code MERGE INTO t (cols) KEY (k) SELECT ...}. Reference: H2 "Data Types",
 * "MERGE" (h2database.com/html/commands.html).
 */
public final class H2Dialect extends JdbcDialect {

    /** The one instance. */
    public static final H2Dialect INSTANCE = new H2Dialect();

    private H2Dialect() {
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public List<String> destinationTypes() {
        return List.of("h2");
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:h2:file:<absolute path>} */
    @Override
    public String jdbcUrl(DestinationSpec spec) {
        if (spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        return "jdbc:h2:file:" + Path.of(spec.url()).toAbsolutePath();
    }

    @Override
    protected int maxIdentifierLength() {
        return 256;
    }

    @Override
    public String columnType(PgType type, boolean key) {
        return switch (type.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case NUMERIC -> type.precision() < 0 ? "DECFLOAT" : "NUMERIC(" + type.precision() + ", " + type.scale() + ")";
            case REAL -> "REAL";
            case DOUBLE -> "DOUBLE PRECISION";
            case VARCHAR -> "CHARACTER VARYING(" + type.length() + ")";
            case CHAR -> "CHARACTER(" + type.length() + ")";
            case UUID -> "UUID";
            case JSON, ARRAY -> key ? "CHARACTER VARYING" : "CHARACTER LARGE OBJECT";
            case BYTEA -> "BINARY LARGE OBJECT";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
            case TIMESTAMPTZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
            case TIME -> "TIME(" + type.precision() + ")";
            case TIMETZ -> "TIME(" + type.precision() + ") WITH TIME ZONE";
            default -> "CHARACTER VARYING";
        };
    }

    /** @return {@code MERGE INTO t (cols) KEY (k) SELECT cols FROM s} */
    @Override
    public String upsertFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return "MERGE INTO " + target + " (" + columnList(columns) + ") KEY (" + names(keyColumns) + ") SELECT "
                + columnList(columns) + " FROM " + stage;
    }

    /** UUIDs and times with time zone bound as themselves (H2 has both types). */
    @Override
    public void bind(PreparedStatement ps, int index, PgType type, Object value) throws SQLException {
        if (value instanceof UUID || value instanceof OffsetTime) {
            ps.setObject(index, value);
        } else {
            super.bind(ps, index, type, value);
        }
    }
}
