package io.caravan.destination.file;

import io.caravan.mapping.PartitionFormat;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static io.caravan.destination.file.MonthPartitions.DEFAULT_FOLDER;
import static io.caravan.destination.file.MonthPartitions.folder;
import static io.caravan.mapping.PartitionFormat.DATETIME;
import static io.caravan.mapping.PartitionFormat.INT;
import static io.caravan.mapping.PartitionFormat.STR;
import static org.assertj.core.api.Assertions.assertThat;

/** Month folders from partition values of each partition_col_format. */
class MonthPartitionsTest {

    @Test
    void datetimeValuesGiveTheirUtcMonth() {
        assertThat(folder(LocalDate.of(2024, 5, 31), DATETIME)).isEqualTo("year=2024/month=05/");
        assertThat(folder(LocalDateTime.of(2024, 12, 31, 23, 59), DATETIME)).isEqualTo("year=2024/month=12/");
        assertThat(folder(OffsetDateTime.of(2024, 6, 1, 1, 0, 0, 0, ZoneOffset.ofHours(2)), DATETIME))
                .isEqualTo("year=2024/month=05/");
        assertThat(folder(Instant.parse("2024-06-01T00:00:00Z"), DATETIME)).isEqualTo("year=2024/month=06/");
        assertThat(folder(OffsetDateTime.MAX, DATETIME)).isEqualTo(DEFAULT_FOLDER);
        assertThat(folder(LocalDate.MIN, DATETIME)).isEqualTo(DEFAULT_FOLDER);
        assertThat(folder(null, DATETIME)).isEqualTo(
                "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/");
    }

    @Test
    void intValuesAreEpochSecondsOrMillisecondsAbove1e11() {
        assertThat(folder(1_714_521_600L, INT)).isEqualTo("year=2024/month=05/"); // 2024-05-01T00:00:00Z
        assertThat(folder(1_714_521_599, INT)).isEqualTo("year=2024/month=04/");
        assertThat(folder(1_714_521_600_000L, INT)).isEqualTo("year=2024/month=05/");
        assertThat(folder(new BigDecimal("1714521600"), INT)).isEqualTo("year=2024/month=05/");
        assertThat(folder(100_000_000_000L, INT)).isEqualTo("year=5138/month=11/"); // 1e11 itself: seconds
        assertThat(folder(100_000_000_001L, INT)).isEqualTo("year=1973/month=03/");
        assertThat(folder(" 1714521600 ", INT)).isEqualTo("year=2024/month=05/");
        assertThat(folder(Double.NaN, INT)).isEqualTo(DEFAULT_FOLDER);
        assertThat(folder("soon", INT)).isEqualTo(DEFAULT_FOLDER);
    }

    @Test
    void strValuesAreIsoDatesAndDatetimes() {
        assertThat(folder("2024-05", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-05-01", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-5-1", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-05-31 23:30", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-05-31T23:30:00.123456", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-05-31T23:30:00Z", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-05-31 23:30:00-01", STR)).isEqualTo("year=2024/month=06/");
        assertThat(folder("2024-06-01T01:00:00+02:00", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-06-01T01:00:00+0200", STR)).isEqualTo("year=2024/month=05/");
        assertThat(folder("2024-13-01", STR)).isEqualTo(DEFAULT_FOLDER);
        assertThat(folder("01/05/2024", STR)).isEqualTo(DEFAULT_FOLDER);
        assertThat(folder("", STR)).isEqualTo(DEFAULT_FOLDER);
        // a date column under format str still gives its month
        assertThat(folder(LocalDate.of(2023, 1, 9), PartitionFormat.STR)).isEqualTo("year=2023/month=01/");
    }
}
