package io.caravan.dialect.oracle;

import io.caravan.mapping.SourceSpec;
import io.caravan.source.jdbc.SourceColumn;
import io.caravan.source.jdbc.SourceDialect;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * Oracle (12c and later) as a source, through ojdbc. Keyset conditions in the expanded OR form (Oracle compares row
 * values only for equality); pages end in {@code FETCH FIRST n ROWS ONLY} (12c row limiting clause). Streaming:
 * ojdbc fetches {@code setFetchSize} rows per round trip (10 by default), so {@link #streaming} raises it. The clock
 * is {@code SYS_EXTRACT_UTC(SYSTIMESTAMP)} and the database server's local {@code SYSTIMESTAMP}. Types: {@code NUMBER(p,0)}
 * to smallint, integer or bigint by precision (up to 4, 9, 18 digits), other {@code NUMBER(p,s)} to numeric(p,s),
 * {@code NUMBER} to numeric, {@code DATE} (which has a time of day) to timestamp(0), {@code VARCHAR2}, {@code CHAR},
 * {@code CLOB} to varchar, character and text, {@code RAW} and {@code BLOB} to bytea, {@code BINARY_FLOAT} and
 * {@code BINARY_DOUBLE} to real and double precision. Reference: Oracle Database SQL Language Reference, "Data
 * Types", "SELECT: row_limiting_clause".
 */
public final class OracleSourceDialect extends SourceDialect {

    /** The one instance. */
    public static final OracleSourceDialect INSTANCE = new OracleSourceDialect();

    private OracleSourceDialect() {
    }

    @Override
    public String name() {
        return "oracle";
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:oracle:thin:@//<url>/<db_name>} */
    @Override
    public String jdbcUrl(SourceSpec spec) {
        return spec.url().startsWith("jdbc:") ? spec.url() : "jdbc:oracle:thin:@//" + spec.url() + "/" + spec.dbName();
    }

    @Override
    public String clock() {
        return "SELECT SYS_EXTRACT_UTC(SYSTIMESTAMP), CAST(SYSTIMESTAMP AS TIMESTAMP) FROM DUAL";
    }

    @Override
    public LocalDateTime[] readClock(ResultSet rs) throws SQLException {
        return new LocalDateTime[] {rs.getObject(1, LocalDateTime.class), rs.getObject(2, LocalDateTime.class)};
    }

    /** A null schema is the connecting user's (Oracle keeps unquoted user names in upper case). */
    @Override
    protected String[] scope(DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {null, schema != null ? schema : md.getUserName().toUpperCase(Locale.ROOT)};
    }

    @Override
    public String pgType(SourceColumn column) {
        String t = column.type().toLowerCase(Locale.ROOT);
        int p = column.precision();
        int s = column.scale();
        if (t.equals("number")) {
            if (p <= 0 || s < 0) {
                return "numeric";
            }
            if (s == 0 && p <= 18) {
                return p <= 4 ? "smallint" : p <= 9 ? "integer" : "bigint";
            }
            return "numeric(" + p + "," + s + ")";
        }
        if (t.equals("date")) {
            return "timestamp(0) without time zone";
        }
        if (t.equals("clob") || t.equals("nclob") || t.equals("long")) {
            return "text";
        }
        return null;
    }
}
