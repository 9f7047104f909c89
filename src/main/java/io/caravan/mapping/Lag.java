package io.caravan.mapping;

import java.time.Duration;

/**
 * A re-read window ({@code buffer_updation_lag}, {@code grace_updation_lag}), as the DMS seed writes it:
 * a map of {@code days}, {@code hours} and {@code minutes}, each a non-negative integer.
 *
 * @param days    whole days, 0 or more
 * @param hours   whole hours, 0 or more
 * @param minutes whole minutes, 0 or more
 */
public record Lag(int days, int hours, int minutes) {
    /** No re-read window. */
    public static final Lag NONE = new Lag(0, 0, 0);

    /** @return the window as a duration; zero for {@link #NONE} */
    public Duration toDuration() {
        return Duration.ofDays(days).plusHours(hours).plusMinutes(minutes);
    }

    /** @return true when the window is empty */
    public boolean isZero() {
        return days == 0 && hours == 0 && minutes == 0;
    }
}
