package io.caravan.format;

import io.caravan.dialect.postgres.PgRaw;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text forms of values the codec keeps raw; the bytes are binary COPY fields PostgreSQL 15 sent. */
class ValuesTest {

    private static PgRaw raw(int oid, String hex) {
        return new PgRaw(oid, HexFormat.of().parseHex(hex));
    }

    @Test
    void xmlIsItsText() {
        assertThat(Values.textForm(raw(142, "3c613e783c2f613e"))).isEqualTo("<a>x</a>");
    }

    @Test
    void pgLsnIsTwoHexHalves() {
        assertThat(Values.textForm(raw(3220, "00000000016b3748"))).isEqualTo("0/16B3748");
        assertThat(Values.textForm(raw(3220, "0000001a0000000f"))).isEqualTo("1A/F");
    }

    @Test
    void bitStringsAreTheirBits() {
        assertThat(Values.textForm(raw(1560, "00000003a0"))).isEqualTo("101");
        assertThat(Values.textForm(raw(1562, "0000000aff40"))).isEqualTo("1111111101");
        assertThat(Values.textForm(raw(1562, "00000000"))).isEmpty();
    }

    @Test
    void typesWithoutATextFormAreRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> Values.textForm(raw(790, "00000000000004d2")))
                .hasMessageContaining("type OID 790").hasMessageContaining("cast the column to text");
    }
}
