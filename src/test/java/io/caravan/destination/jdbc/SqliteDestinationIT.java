package io.caravan.destination.jdbc;

import io.caravan.dialect.sqlite.SqliteDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The JDBC destination contract on an SQLite file under the test's directory. */
class SqliteDestinationIT extends JdbcDestinationContract {

    @Override
    DestinationSpec spec() {
        return new DestinationSpec("dw", "sqlite", dir.resolve("dw.sqlite").toString(), null, "", Secret.NONE, null);
    }

    @Override
    JdbcDialect dialect() {
        return SqliteDialect.INSTANCE;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dw.sqlite"));
    }
}
