package io.caravan.destination.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.dialect.postgres.PgBinaryCodec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads rows back from any database as canonical text, so that a source row in PostgreSQL and its copy in another
 * database compare equal exactly when they hold the same values: numbers by value, times as instants, JSON as trees,
 * bytes as hex.
 */
final class Canon {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Canon() {
    }

    /**
     * @param types   the PostgreSQL type of each selected column
     * @param dialect {@code postgresql} (arrays selected as {@code array_to_json(x)::text}), or a {@link JdbcDialect}
     *                name
     * @return each row's canonical values joined by {@code |}, NULL as {@code ∅}
     */
    static List<String> rows(Connection c, String select, List<PgType> types, String dialect) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < types.size(); i++) {
                    String v = value(rs, i + 1, types.get(i), dialect);
                    sb.append(i > 0 ? "|" : "").append(v == null ? "∅" : v);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    static String value(ResultSet rs, int i, PgType type, String dialect) throws SQLException {
        if (rs.getObject(i) == null) {
            return null;
        }
        boolean sqlite = dialect.equals("sqlite");
        boolean mysql = dialect.equals("mariadb") || dialect.equals("mysql");
        try {
            return switch (type.kind()) {
                case BOOLEAN -> String.valueOf(rs.getBoolean(i));
                case SMALLINT, INTEGER, BIGINT -> String.valueOf(rs.getLong(i));
                case NUMERIC -> new BigDecimal(rs.getString(i)).stripTrailingZeros().toPlainString();
                case REAL, DOUBLE -> String.valueOf(rs.getDouble(i));
                case UUID -> rs.getString(i).toLowerCase(java.util.Locale.ROOT);
                case JSON, ARRAY -> JSON.writeValueAsString(JSON.readValue(rs.getString(i), Object.class));
                case BYTEA -> HexFormat.of().formatHex(rs.getBytes(i));
                case DATE -> sqlite ? rs.getString(i) : rs.getObject(i, LocalDate.class).toString();
                case TIMESTAMP -> (sqlite ? LocalDateTime.parse(rs.getString(i).replace(' ', 'T'))
                        : rs.getObject(i, LocalDateTime.class)).toString();
                case TIMESTAMPTZ -> (sqlite ? OffsetDateTime.parse(rs.getString(i).replace(' ', 'T')).toInstant()
                        : mysql ? rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                        : rs.getObject(i, OffsetDateTime.class).toInstant()).toString();
                case TIME -> (sqlite ? LocalTime.parse(rs.getString(i)) : rs.getObject(i, LocalTime.class)).toString();
                case TIMETZ -> dialect.equals("h2") || dialect.equals("postgresql")
                        ? PgBinaryCodec.toText(rs.getObject(i, OffsetTime.class)) : rs.getString(i);
                default -> rs.getString(i);
            };
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
