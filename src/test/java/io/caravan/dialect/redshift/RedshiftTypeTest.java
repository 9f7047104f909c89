package io.caravan.dialect.redshift;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL's format_type text to Redshift's target and staging types (the README's table). */
class RedshiftTypeTest {

    private static String target(String pg) {
        return RedshiftType.of(pg).target();
    }

    @Test
    void scalarsKeepTheirType() {
        assertThat(target("smallint")).isEqualTo("SMALLINT");
        assertThat(target("integer")).isEqualTo("INTEGER");
        assertThat(target("bigint")).isEqualTo("BIGINT");
        assertThat(target("real")).isEqualTo("REAL");
        assertThat(target("double precision")).isEqualTo("DOUBLE PRECISION");
        assertThat(target("boolean")).isEqualTo("BOOLEAN");
        assertThat(target("date")).isEqualTo("DATE");
        assertThat(target("timestamp without time zone")).isEqualTo("TIMESTAMP");
        assertThat(target("timestamp(3) without time zone")).isEqualTo("TIMESTAMP");
        assertThat(target("timestamp with time zone")).isEqualTo("TIMESTAMPTZ");
        assertThat(target("timestamp(6) with time zone")).isEqualTo("TIMESTAMPTZ");
    }

    @Test
    void numericKeepsPrecisionUpTo38ElseItsText() {
        assertThat(target("numeric(12,2)")).isEqualTo("DECIMAL(12,2)");
        assertThat(target("numeric(38,0)")).isEqualTo("DECIMAL(38,0)");
        assertThat(target("numeric(39,2)")).isEqualTo("VARCHAR(65535)");
        assertThat(target("numeric(5,-2)")).isEqualTo("VARCHAR(65535)");
        assertThat(target("numeric")).isEqualTo("VARCHAR(65535)");
    }

    @Test
    void textJsonUuidBytesAndArrays() {
        assertThat(target("text")).isEqualTo("VARCHAR(65535)");
        assertThat(target("character varying")).isEqualTo("VARCHAR(65535)");
        assertThat(target("character varying(20)")).isEqualTo("VARCHAR(80)");
        assertThat(target("character varying(20000)")).isEqualTo("VARCHAR(65535)");
        assertThat(target("character(3)")).isEqualTo("VARCHAR(12)");
        assertThat(target("jsonb")).isEqualTo("VARCHAR(65535)");
        assertThat(target("json")).isEqualTo("VARCHAR(65535)");
        assertThat(target("uuid")).isEqualTo("CHAR(36)");
        assertThat(target("bytea")).isEqualTo("VARBYTE(1024000)");
        assertThat(target("integer[]")).isEqualTo("SUPER");
        assertThat(target("timestamp with time zone[]")).isEqualTo("SUPER");
        assertThat(target("interval")).isEqualTo("VARCHAR(65535)");
        assertThat(target("inet")).isEqualTo("VARCHAR(65535)");
    }

    @Test
    void timesAreStagedAsTextAndCastByTheMerge() {
        assertThat(RedshiftType.of("time without time zone")).isEqualTo(new RedshiftType("TIME", "VARCHAR(64)"));
        assertThat(RedshiftType.of("time(3) with time zone")).isEqualTo(new RedshiftType("TIMETZ", "VARCHAR(64)"));
        assertThat(RedshiftType.of("time without time zone").castOnMerge()).isTrue();
        assertThat(RedshiftType.of("bigint").castOnMerge()).isFalse();
    }
}
