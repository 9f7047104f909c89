package io.caravan.dialect.postgres;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Names derived from a table name stay within PostgreSQL's 63 bytes, distinct and stable. */
class DerivedNameTest {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void nameThatFitsIsBasePlusSuffix() {
        assertThat(SQL.derivedName("orders", "__caravan_stage")).isEqualTo("orders__caravan_stage");
        String base = "a".repeat(55);
        assertThat(SQL.derivedName(base, "_default")).isEqualTo(base + "_default");
    }

    @Test
    void longNameIsShortenedAndTaggedWithAHashOfTheWholeBase() {
        String base = "b".repeat(63);
        String name = SQL.derivedName(base, "__caravan_snapshot");
        assertThat(name).hasSize(63).endsWith("__caravan_snapshot").isNotEqualTo(base)
                .matches("b{36}_[0-9a-f]{8}__caravan_snapshot");
        assertThat(SQL.derivedName(base, "__caravan_snapshot")).isEqualTo(name);
        assertThat(SQL.derivedName("b".repeat(62) + "c", "__caravan_snapshot")).isNotEqualTo(name);
        assertThat(SQL.derivedName("b".repeat(56), "_default")).matches("b{46}_[0-9a-f]{8}_default");
    }

    @Test
    void multiByteBaseIsCutOnACharacterBoundary() {
        String base = "é".repeat(31);
        String name = SQL.derivedName(base, "_p2024_05");
        assertThat(bytes(name)).isLessThanOrEqualTo(63);
        assertThat(name).matches("é{22}_[0-9a-f]{8}_p2024_05");
        assertThat(bytes("é".repeat(22) + "_12345678_p2024_05")).isEqualTo(62);
    }

    @Test
    void suffixLeavingNoRoomForTheHashIsRefused() {
        assertThatThrownBy(() -> SQL.derivedName("t", "_" + "s".repeat(63)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 54");
    }
}
