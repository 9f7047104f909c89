package io.caravan.dialect;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** Redshift detection against a real PostgreSQL, which must not be taken for Redshift. */
class RedshiftDetectionIT {

    @Test
    void postgresqlIsNotTakenForRedshift() throws Exception {
        try (Connection c = PgServer.get().connect("postgres")) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
            assertThat(Dialects.isRedshift(c)).isFalse();
        }
    }
}
