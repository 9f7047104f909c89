package io.caravan.runtime;

import io.caravan.mapping.Settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The rules of serve mode that do not belong to one table: the time zone and clock of schedules and cut-off, and
 * how transient failures are retried. Immutable.
 *
 * @param zone       time zone of crons and of the cut-off (settings {@code timezone}); never null
 * @param cutOffTime time of day after which no run starts and running ones stop, until midnight (settings
 *                   {@code cut_off_time}, DMS seed "Settings"); null for none
 * @param retries    retries of transient failures; never null
 * @param clock      the clock of the cut-off (a fixed or moving clock in tests); never null
 */
public record ServeOptions(ZoneId zone, LocalTime cutOffTime, Settings.Retries retries, Clock clock) {

    /**
     * @param settings the settings file
     * @return the options the settings give, with the system clock
     */
    public static ServeOptions of(Settings settings) {
        return new ServeOptions(ZoneId.of(settings.timezone()), settings.cutOffTime(), settings.retries(),
                Clock.systemUTC());
    }

    /**
     * @return whether it is past the cut-off time today in {@link #zone()}: from the cut-off time to midnight; false
     *         when there is no cut-off
     */
    public boolean pastCutOff() {
        return cutOffTime != null && !now().toLocalTime().isBefore(cutOffTime);
    }

    /** @return the next midnight in {@link #zone()}, when runs may start again after a cut-off */
    public ZonedDateTime resumesAt() {
        return now().toLocalDate().plusDays(1).atStartOfDay(zone);
    }

    /** @return now in {@link #zone()} */
    public ZonedDateTime now() {
        return ZonedDateTime.now(clock.withZone(zone));
    }

    /**
     * Exponential backoff: {@code initial_delay_seconds * 2^(attempt-1)}, at most {@code max_delay_seconds}.
     *
     * @param attempt the attempt that failed, from 1
     * @return how long to wait before the next attempt
     */
    public Duration retryDelay(int attempt) {
        long seconds = (long) retries.initialDelaySeconds() << Math.min(attempt - 1, 30);
        return Duration.ofSeconds(Math.min(seconds, retries.maxDelaySeconds()));
    }

    /**
     * @param attempt the attempt that failed, from 1
     * @return when the next attempt starts after {@link #retryDelay}, by the clock
     */
    public Instant retryAt(int attempt) {
        return clock.instant().plus(retryDelay(attempt));
    }
}
