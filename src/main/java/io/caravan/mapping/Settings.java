package io.caravan.mapping;

import java.time.LocalTime;
import java.util.Map;

/**
 * The settings file (DMS seed, "Settings"). Every key has a default, so no settings file is needed on one machine.
 *
 * @param timezone        time zone of schedules and cut-off (IANA name); default {@code UTC}
 * @param notifyEnabled   the seed's {@code notify}: post Slack notifications; default false. (A record component
 *                        cannot be named {@code notify}: {@code Object.notify()} is final.)
 * @param slackNotif      {@code slack_token}/{@code webhook_url} and {@code channel}; empty when absent
 * @param cutOffTime      time of day at which running tables stop; null when absent
 * @param cursorStoreUrl  JDBC URL of the cursor store ({@code encryption_store.url}); null for the embedded default
 *                        ({@code .caravan/state} in the working directory)
 * @param cursorStoreUser user of the cursor store; empty when not given
 * @param cursorStorePassword password of the cursor store; {@link Secret#NONE} when not given
 * @param dashboardStore  {@code dashboard_store} as given (used by serve mode); empty when absent
 * @param fastapiServer   keep an HTTP server running (serve mode); default false
 */
public record Settings(String timezone, boolean notifyEnabled, Map<String, String> slackNotif, LocalTime cutOffTime,
                       String cursorStoreUrl, String cursorStoreUser, Secret cursorStorePassword,
                       Map<String, String> dashboardStore, boolean fastapiServer) {

    /** @return the settings used when no settings file is given */
    public static Settings defaults() {
        return new Settings("UTC", false, Map.of(), null, null, "", Secret.NONE, Map.of(), false);
    }
}
