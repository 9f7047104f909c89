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
 * @param dashboardStore  {@code dashboard_store} (the run store of serve mode, opened by
 *                        {@code io.caravan.state.RunStores}): {@code url}, {@code username}, {@code password} (as
 *                        written, maybe {@code ${env:NAME}}), {@code db_name}, {@code collection_name}, each only
 *                        when given; empty when absent (the embedded store)
 * @param fastapiServer   keep an HTTP server running (serve mode); default false
 * @param server          {@code server_host}, {@code server_port}, {@code api_token}; never null
 * @param retries         {@code retries}: how transient failures are retried; never null
 * @param cluster         {@code cluster}: how serve processes share jobs; never null
 */
public record Settings(String timezone, boolean notifyEnabled, Map<String, String> slackNotif, LocalTime cutOffTime,
                       String cursorStoreUrl, String cursorStoreUser, Secret cursorStorePassword,
                       Map<String, String> dashboardStore, boolean fastapiServer, Server server, Retries retries,
                       Cluster cluster) {

    /**
     * The HTTP server of serve mode.
     *
     * @param host     {@code server_host}; default {@code 127.0.0.1}
     * @param port     {@code server_port}; default 8080; 0 picks a free port
     * @param apiToken {@code api_token}: the bearer token every request that changes something must carry;
     *                 {@link Secret#NONE} when absent (then the {@code CARAVAN_API_TOKEN} environment variable is used)
     */
    public record Server(String host, int port, Secret apiToken) {
        /** @return the defaults: 127.0.0.1:8080, no token in the file */
        public static Server defaults() {
            return new Server("127.0.0.1", 8080, Secret.NONE);
        }
    }

    /**
     * Retries of transient failures (connection refused or lost, SQLState class 08, serialization failures and
     * deadlocks, 40001 and 40P01): attempt n+1 starts {@code initialDelaySeconds * 2^(n-1)} seconds after attempt n
     * failed, at most {@code maxDelaySeconds}.
     *
     * @param maxAttempts         {@code retries.max_attempts}: attempts in all, 1 for no retry; default 3
     * @param initialDelaySeconds {@code retries.initial_delay_seconds}; default 5
     * @param maxDelaySeconds     {@code retries.max_delay_seconds}; default 300
     */
    public record Retries(int maxAttempts, int initialDelaySeconds, int maxDelaySeconds) {
        /** @return 3 attempts, 5 s then 10 s apart */
        public static Retries defaults() {
            return new Retries(3, 5, 300);
        }
    }

    /**
     * How several serve processes share jobs: each job runs on exactly one of them.
     *
     * @param lock {@code cluster.lock}: {@code file} (a lock file per job under {@code path}: processes on one
     *             machine or sharing a file system) or {@code none} (every process runs every job); default file
     * @param path {@code cluster.path}: directory of the lock files; null for {@code .caravan/cluster}
     */
    public record Cluster(String lock, String path) {
        /** @return file locks under {@code .caravan/cluster} */
        public static Cluster defaults() {
            return new Cluster("file", null);
        }
    }

    /** @return the settings used when no settings file is given */
    public static Settings defaults() {
        return new Settings("UTC", false, Map.of(), null, null, "", Secret.NONE, Map.of(), false, Server.defaults(),
                Retries.defaults(), Cluster.defaults());
    }
}
