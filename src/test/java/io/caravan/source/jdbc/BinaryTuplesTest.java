package io.caravan.source.jdbc;

import io.caravan.dialect.postgres.PgBinaryCodec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value {@link BinaryTuples} writes decodes back to itself with {@link PgBinaryCodec#decode}. */
class BinaryTuplesTest {

    private static Object roundTrip(int oid, Object value) {
        BinaryTuples t = new BinaryTuples(16);
        t.beginTuple(1);
        t.field(oid, value);
        byte[] b = t.buffer();
        int len = ((b[2] & 0xFF) << 24) | ((b[3] & 0xFF) << 16) | ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
        assertThat(t.length()).isEqualTo(6 + len);
        return PgBinaryCodec.decode(oid, b, 6, len);
    }

    @Test
    void numericsKeepDigitsAndScale() {
        for (String n : new String[] {"0", "0.00", "1", "-1", "0.5", "-0.0001", "12345.678", "10000", "100000000",
                "18446744073709551615", "-9999.9999", "0.000012300", "123456789.125"}) {
            assertThat(roundTrip(1700, new BigDecimal(n))).as(n).isEqualTo(new BigDecimal(n));
        }
        assertThat(roundTrip(1700, new BigDecimal("1E+3"))).isEqualTo(new BigDecimal("1000"));
    }

    private static Object fromText(int oid, java.util.function.BiPredicate<BinaryTuples, byte[]> write, String text) {
        BinaryTuples t = new BinaryTuples(16);
        t.beginTuple(1);
        if (!write.test(t, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(t.length()).as("nothing written for " + text).isEqualTo(2);
            return "refused";
        }
        byte[] b = t.buffer();
        int len = ((b[2] & 0xFF) << 24) | ((b[3] & 0xFF) << 16) | ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
        assertThat(t.length()).isEqualTo(6 + len);
        return PgBinaryCodec.decode(oid, b, 6, len);
    }

    @Test
    void numericTextKeepsDigitsAndScaleAndRefusesOtherText() {
        for (String n : new String[] {"0", "0.00", "-0.00", "1", "-1", "0.5", "-0.0001", "12345.678", "10000",
                "100000000", "18446744073709551615", "-9999.9999", "0.000012300", "123456789.125", "+7.10", ".5"}) {
            assertThat(fromText(1700, BinaryTuples::numericText, n)).as(n).isEqualTo(new BigDecimal(n));
        }
        for (String bad : new String[] {"", "-", "1e5", "1.2.3", " 1", "NaN", "1,5"}) {
            assertThat(fromText(1700, BinaryTuples::numericText, bad)).as(bad).isEqualTo("refused");
        }
    }

    @Test
    void temporalAndUuidTextsDecodeAsTheirValues() {
        assertThat(fromText(1114, BinaryTuples::timestampText, "2024-05-01 10:00:00.123456"))
                .isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000));
        assertThat(fromText(1114, BinaryTuples::timestampText, "2024-02-29 23:59:59.5"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 500_000_000));
        assertThat(fromText(1114, BinaryTuples::timestampText, "1900-01-01 00:00:00"))
                .isEqualTo(LocalDateTime.of(1900, 1, 1, 0, 0));
        assertThat(fromText(1114, BinaryTuples::timestampText, "0001-01-01 00:00:00.000"))
                .isEqualTo(LocalDateTime.of(1, 1, 1, 0, 0));
        assertThat(fromText(1184, BinaryTuples::timestampText, "9999-12-31 23:59:59.999999"))
                .isEqualTo(OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC));
        for (String bad : new String[] {"0000-00-00 00:00:00", "2024-05-00 10:00:00", "2023-02-29 00:00:00",
                "2024-05-01T10:00:00", "2024-05-01 24:00:00", "2024-05-01 10:00:00.", "2024-05-01 10:00"}) {
            assertThat(fromText(1114, BinaryTuples::timestampText, bad)).as(bad).isEqualTo("refused");
        }
        assertThat(fromText(1082, BinaryTuples::dateText, "1969-12-31")).isEqualTo(LocalDate.of(1969, 12, 31));
        assertThat(fromText(1082, BinaryTuples::dateText, "2000-01-01")).isEqualTo(LocalDate.of(2000, 1, 1));
        assertThat(fromText(1082, BinaryTuples::dateText, "0000-00-00")).isEqualTo("refused");
        UUID u = UUID.randomUUID();
        assertThat(fromText(2950, BinaryTuples::uuidText, u.toString())).isEqualTo(u);
        assertThat(fromText(2950, BinaryTuples::uuidText, u.toString().toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo(u);
        assertThat(fromText(2950, BinaryTuples::uuidText, u.toString().replace('-', 'x'))).isEqualTo("refused");
    }

    @Test
    void everyOtherTypeRoundTrips() {
        assertThat(roundTrip(16, true)).isEqualTo(true);
        assertThat(roundTrip(21, (short) -32768)).isEqualTo((short) -32768);
        assertThat(roundTrip(23, Integer.MIN_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThat(roundTrip(20, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(roundTrip(700, 1.5f)).isEqualTo(1.5f);
        assertThat(roundTrip(701, -2.25)).isEqualTo(-2.25);
        assertThat(roundTrip(25, "tab\tü✓")).isEqualTo("tab\tü✓");
        assertThat(roundTrip(3802, "{\"k\": 1}")).isEqualTo("{\"k\": 1}");
        UUID u = UUID.randomUUID();
        assertThat(roundTrip(2950, u)).isEqualTo(u);
        assertThat((byte[]) roundTrip(17, new byte[] {1, 2, -1})).containsExactly(1, 2, -1);
        assertThat(roundTrip(1082, LocalDate.of(1969, 12, 31))).isEqualTo(LocalDate.of(1969, 12, 31));
        LocalDateTime t = LocalDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000);
        assertThat(roundTrip(1114, t)).isEqualTo(t);
        assertThat(roundTrip(1114, LocalDateTime.of(1900, 1, 1, 0, 0))).isEqualTo(LocalDateTime.of(1900, 1, 1, 0, 0));
        assertThat(roundTrip(1184, t.atOffset(ZoneOffset.UTC))).isEqualTo(OffsetDateTime.of(t, ZoneOffset.UTC));
        assertThat(roundTrip(1083, LocalTime.of(23, 59, 58, 5_000))).isEqualTo(LocalTime.of(23, 59, 58, 5_000));
    }
}
