package io.caravan.runtime;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void connectionClassAndSerializationFailuresAreTransient() {
        assertThat(Failures.isTransient(new RuntimeException("copy", new SQLException("gone", "08006")))).isTrue();
        assertThat(Failures.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
    }

    @Test
    void authenticationAndMissingObjectsArePermanent() {
        assertThat(Failures.isTransient(new SQLException("password authentication failed", "28P01"))).isFalse();
        assertThat(Failures.isTransient(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(Failures.isTransient(new SQLException("syntax error", "42601"))).isFalse();
    }

    @Test
    void theFirstSqlStateDecidesOverANetworkCauseBelowIt() {
        SQLException auth = new SQLException("no pg_hba.conf entry", "28000", new ConnectException("refused"));
        assertThat(Failures.isTransient(auth)).isFalse();
    }

    @Test
    void refusedConnectionsAreTransientAndOtherErrorsPermanent() {
        assertThat(Failures.isTransient(new IllegalStateException("open",
                new UncheckedIOException(new ConnectException("Connection refused"))))).isTrue();
        assertThat(Failures.isTransient(new IllegalArgumentException("no such column"))).isFalse();
        assertThat(Failures.isTransient(null)).isFalse();
    }
}
