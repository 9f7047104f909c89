package io.caravan.source;

import io.caravan.mapping.SourceOptions.FieldType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FieldCastsTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2024-05-01T10:00:00Z");

    @Test
    void intCastsNumbersTextAndBooleansAndFallsBackToZero() {
        assertEquals(7L, FieldCasts.cast(FieldType.INT, 7));
        assertEquals(7L, FieldCasts.cast(FieldType.INT, 7.9));
        assertEquals(-7L, FieldCasts.cast(FieldType.INT, " -7.9 "));
        assertEquals(1L, FieldCasts.cast(FieldType.INT, true));
        assertEquals(12L, FieldCasts.cast(FieldType.INT, new BigDecimal("12.00")));
        assertEquals(0L, FieldCasts.cast(FieldType.INT, "seven"));
        assertEquals(0L, FieldCasts.cast(FieldType.INT, Double.NaN));
        assertEquals(0L, FieldCasts.cast(FieldType.INT, "1e30"));
        assertNull(FieldCasts.cast(FieldType.INT, null));
    }

    @Test
    void floatBoolAndDatetimeFallBackToNull() {
        assertEquals(2.5, FieldCasts.cast(FieldType.FLOAT, "2.5"));
        assertEquals(3.0, FieldCasts.cast(FieldType.FLOAT, 3L));
        assertNull(FieldCasts.cast(FieldType.FLOAT, "two"));
        assertEquals(true, FieldCasts.cast(FieldType.BOOL, "Yes"));
        assertEquals(false, FieldCasts.cast(FieldType.BOOL, 0));
        assertNull(FieldCasts.cast(FieldType.BOOL, 2));
        assertNull(FieldCasts.cast(FieldType.BOOL, "maybe"));
        assertEquals(T, FieldCasts.cast(FieldType.DATETIME, "2024-05-01T10:00:00Z"));
        assertEquals(T, FieldCasts.cast(FieldType.DATETIME, "2024-05-01 12:00:00+02"));
        assertEquals(T, FieldCasts.cast(FieldType.DATETIME, "2024-05-01T05:00:00-0500"));
        assertEquals(T, FieldCasts.cast(FieldType.DATETIME, "2024-05-01T10:00"));
        assertEquals(T.minusHours(10), FieldCasts.cast(FieldType.DATETIME, "2024-05-01"));
        assertEquals(T, FieldCasts.cast(FieldType.DATETIME, Date.from(T.toInstant())));
        assertNull(FieldCasts.cast(FieldType.DATETIME, "yesterday"));
        assertNull(FieldCasts.cast(FieldType.DATETIME, 1714557600000L));
    }

    @Test
    void applyCountsFallbacksPerFieldAndLeavesUndeclaredFieldsAlone() {
        FieldCasts casts = new FieldCasts(Map.of("n", FieldType.INT, "at", FieldType.DATETIME));
        assertEquals(0L, casts.apply("n", "x"));
        assertEquals(0L, casts.apply("n", "y"));
        assertEquals(5L, casts.apply("n", "5"));
        assertNull(casts.apply("at", "soon"));
        assertNull(casts.apply("at", null));
        assertEquals("x", casts.apply("other", "x"));
        assertEquals(3, casts.fallbackCount());
        assertEquals(Map.of("at", 1L, "n", 2L), casts.fallbacksByField());
    }
}
