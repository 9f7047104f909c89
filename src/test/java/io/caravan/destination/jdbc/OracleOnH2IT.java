package io.caravan.destination.jdbc;

import io.caravan.dialect.oracle.OracleDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The JDBC destination contract with Oracle's SQL (DDL, global temporary staging tables, MERGE, the delete of gone
 * keys) executed by H2 in {@code MODE=Oracle}: no Oracle server runs here, so this proves the statements' logic, not
 * Oracle's acceptance of them ({@link DialectSqlTest} asserts their exact text). Schema {@code DW} is made by the
 * test, as an Oracle user would be by a DBA.
 */
class OracleOnH2IT extends JdbcDestinationContract {

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("ora").toAbsolutePath() + ";MODE=Oracle";
    }

    @BeforeEach
    void createUser() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS DW");
        }
    }

    @Override
    DestinationSpec spec() {
        return new DestinationSpec("dw", "oracle", url(), null, "", Secret.NONE, "DW");
    }

    @Override
    JdbcDialect dialect() {
        return OracleDialect.INSTANCE;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }
}
