package io.caravan.destination.jdbc;

import io.caravan.dialect.h2.H2Dialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Secret;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The JDBC destination contract on an H2 database file under the test's directory, schema {@code dw}. */
class H2DestinationIT extends JdbcDestinationContract {

    @Override
    DestinationSpec spec() {
        return new DestinationSpec("dw", "h2", dir.resolve("dw").toString(), null, "", Secret.NONE, "dw");
    }

    @Override
    JdbcDialect dialect() {
        return H2Dialect.INSTANCE;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("dw").toAbsolutePath());
    }
}
