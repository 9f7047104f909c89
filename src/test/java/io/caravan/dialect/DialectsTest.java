package io.caravan.dialect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The version-string rule that tells Redshift from PostgreSQL. */
class DialectsTest {

    @Test
    void redshiftCallsItselfPostgresqlButNamesRedshiftInItsVersion() {
        assertThat(Dialects.isRedshiftVersion("PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2"
                + " 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.77467")).isTrue();
        assertThat(Dialects.isRedshiftVersion("PostgreSQL 8.0.2 on x86_64, REDSHIFT serverless")).isTrue();
    }

    @Test
    void postgresqlIsNotRedshift() {
        assertThat(Dialects.isRedshiftVersion("PostgreSQL 15.4 on x86_64-pc-linux-gnu, compiled by gcc (GCC) 12.2.0,"
                + " 64-bit")).isFalse();
        assertThat(Dialects.isRedshiftVersion(null)).isFalse();
    }
}
