package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CronsTest {

    @Test
    void selfManagedHasNoSchedule() {
        assertThat(Crons.toQuartz("self-managed")).isNull();
    }

    @Test
    void quartzExpressionsAreKept() {
        assertThat(Crons.toQuartz("0 0 2 * * ?")).isEqualTo("0 0 2 * * ?");
        assertThat(Crons.toQuartz(" 0 */5 * ? * MON-FRI 2030 ")).isEqualTo("0 */5 * ? * MON-FRI 2030");
    }

    @Test
    void seedFormEveryMinuteFromSevenToNineteen() {
        assertThat(Crons.toQuartz("* * * * * 7-19 */1 0")).isEqualTo("0 */1 7-19 * * ? *");
    }

    @Test
    void seedFormDaysOfWeekCountFromMondayZero() {
        assertThat(Crons.toQuartz("* * * * 0-4 2 30 0")).isEqualTo("0 30 2 ? * MON-FRI *");
        assertThat(Crons.toQuartz("2030 jan * * 5,6 0 0 0")).isEqualTo("0 0 0 ? jan SAT,SUN 2030");
        assertThat(Crons.toQuartz("* * last * * 23 0 0")).isEqualTo("0 0 23 L * ? *");
    }

    @Test
    void invalidCronsSayWhy() {
        assertThatThrownBy(() -> Crons.toQuartz("* * * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid cron '* * * * *': expected 6 or 7 fields (Quartz) or 8 (seed form), found 5");
        assertThatThrownBy(() -> Crons.toQuartz("0 0 25 * * ?"))
                .hasMessage("invalid cron '0 0 25 * * ?': not a valid Quartz expression: "
                        + "Hour values must be between 0 and 23");
        assertThatThrownBy(() -> Crons.toQuartz("* * 1 * mon 0 0 0"))
                .hasMessage("invalid cron '* * 1 * mon 0 0 0': day and day_of_week cannot both be set; "
                        + "write '*' for one of them");
        assertThatThrownBy(() -> Crons.toQuartz("* * * * */2 0 0 0"))
                .hasMessage("invalid cron '* * * * */2 0 0 0': steps in day_of_week are not supported; "
                        + "list the days, e.g. mon,wed,fri");
        assertThatThrownBy(() -> Crons.toQuartz("* * * * 7 0 0 0"))
                .hasMessage("invalid cron '* * * * 7 0 0 0': unknown day of week '7'; "
                        + "write 0-6 (0 is Monday) or mon-sun");
        assertThatThrownBy(() -> Crons.toQuartz(null)).hasMessage("invalid cron 'null': no cron given");
    }
}
