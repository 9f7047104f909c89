package io.caravan.mapping;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the settings file (DMS seed keys, YAML or JSON) with the same checks and problem format as
 * {@link MappingLoader}. Every key is optional; absent keys take the values of {@link Settings#defaults()}.
 * {@code ${env:NAME}} in {@code encryption_store.url} and {@code .username}, and in every {@code dashboard_store}
 * value but {@code password}, is replaced by the variable's value; the passwords and the {@code slack_notif} values
 * are kept as written.
 */
public final class SettingsLoader {

    static final List<String> KEYS = List.of("timezone", "notify", "slack_notif", "cut_off_time", "encryption_store",
            "dashboard_store", "fastapi_server", "server_host", "server_port", "api_token", "retries", "cluster");
    static final List<String> RETRY_KEYS = List.of("max_attempts", "initial_delay_seconds", "max_delay_seconds");
    static final List<String> CLUSTER_KEYS = List.of("lock", "path");
    static final List<String> SLACK_KEYS = List.of("slack_token", "webhook_url", "channel");
    static final List<String> STORE_KEYS = List.of("url", "username", "password");
    static final List<String> DASHBOARD_KEYS = List.of("url", "username", "password", "db_name", "collection_name");

    private SettingsLoader() {
    }

    /**
     * @param file a {@code .yaml}, {@code .yml} or {@code .json} settings file
     * @return the settings; never null
     * @throws MappingException with every problem of the file, ordered by line and column
     */
    public static Settings load(Path file) {
        Problems problems = new Problems();
        Node root = TreeParser.parse(file, problems);
        Settings settings = root == null ? null : build(root, problems);
        problems.sortFrom(0);
        problems.throwIfAny();
        return settings;
    }

    private static Settings build(Node root, Problems problems) {
        Settings defaults = Settings.defaults();
        MapReader top = MapReader.of(root, root.location(), "", KEYS, problems, "write a map of settings");
        String timezone = timezone(top);
        Boolean notify = top.bool("notify");
        Map<String, String> slack = slack(top, Boolean.TRUE.equals(notify));
        LocalTime cutOff = cutOffTime(top);
        MapReader store = top.map("encryption_store", STORE_KEYS, null);
        String storeUrl = storeUrl(store);
        String storeUser = store.text("username", null);
        Secret storePassword = store.secret("password");
        store.finish();
        Map<String, String> dashboardStore = dashboardStore(top);
        Boolean fastapi = top.bool("fastapi_server");
        Settings.Server server = server(top, defaults.server());
        Settings.Retries retries = retries(top, defaults.retries());
        Settings.Cluster cluster = cluster(top, defaults.cluster());
        top.finish();
        return new Settings(timezone == null ? defaults.timezone() : timezone, Boolean.TRUE.equals(notify), slack,
                cutOff, storeUrl, storeUser == null ? "" : storeUser, storePassword, dashboardStore,
                Boolean.TRUE.equals(fastapi), server, retries, cluster);
    }

    private static Settings.Server server(MapReader top, Settings.Server d) {
        String host = top.string("server_host", null);
        Integer port = top.integer("server_port", 0, "write a port number, e.g. 8080 (0 picks a free port)");
        if (port != null && port > 65535) {
            top.problem("server_port", "must be 65535 or less", "write a port number, e.g. 8080");
        }
        Secret token = top.secret("api_token");
        return new Settings.Server(host == null ? d.host() : host, port == null ? d.port() : port, token);
    }

    private static Settings.Retries retries(MapReader top, Settings.Retries d) {
        MapReader r = top.map("retries", RETRY_KEYS, null);
        Integer attempts = r.integer("max_attempts", 1, "write the number of attempts in all, 1 for no retry");
        Integer initial = r.integer("initial_delay_seconds", 0, "write whole seconds, e.g. 5");
        Integer max = r.integer("max_delay_seconds", 0, "write whole seconds, e.g. 300");
        r.finish();
        return new Settings.Retries(attempts == null ? d.maxAttempts() : attempts,
                initial == null ? d.initialDelaySeconds() : initial, max == null ? d.maxDelaySeconds() : max);
    }

    private static Settings.Cluster cluster(MapReader top, Settings.Cluster d) {
        MapReader c = top.map("cluster", CLUSTER_KEYS, null);
        String lock = c.string("lock", null);
        if (lock != null && !lock.equals("file") && !lock.equals("none")) {
            c.problem("lock", "unknown lock", "allowed: file, none");
            lock = null;
        }
        String path = c.text("path", null);
        c.finish();
        return new Settings.Cluster(lock == null ? d.lock() : lock, path == null ? d.path() : path);
    }

    private static String timezone(MapReader top) {
        String zone = top.string("timezone", null);
        if (zone == null) {
            return null;
        }
        try {
            ZoneId.of(zone);
            return zone;
        } catch (DateTimeException e) {
            top.problem("timezone", "unknown time zone", "write an IANA name such as UTC or Asia/Kolkata");
            return null;
        }
    }

    /** {@code slack_notif}; with {@code notify: true} it needs webhook_url, or slack_token and channel. */
    private static Map<String, String> slack(MapReader top, boolean notify) {
        MapReader slack = top.map("slack_notif", SLACK_KEYS, null);
        Map<String, String> values = slack.strings();
        slack.finish();
        boolean complete = values.containsKey("webhook_url")
                || values.containsKey("slack_token") && values.containsKey("channel");
        if (notify && !complete) {
            String hint = "add slack_notif: with webhook_url, or with slack_token and channel";
            if (slack.present()) {
                slack.missing(values.containsKey("slack_token") ? "channel" : "webhook_url",
                        "required when notify is true", hint);
            } else {
                top.missing("slack_notif", "required when notify is true", hint);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    private static LocalTime cutOffTime(MapReader top) {
        String text = top.string("cut_off_time", null);
        if (text == null) {
            return null;
        }
        if (text.matches("\\d{1,2}:\\d{2}(:\\d{2})?")) {
            try {
                return LocalTime.parse(text.indexOf(':') == 1 ? "0" + text : text);
            } catch (DateTimeException e) {
                // out of range, e.g. 25:00: reported below
            }
        }
        top.problem("cut_off_time", "expected a time of day HH:MM or HH:MM:SS", "write e.g. 18:30 or 06:00:00");
        return null;
    }

    private static String storeUrl(MapReader store) {
        String url = store.text("url", null);
        if (url != null && !url.matches("jdbc:[a-z0-9]+:.+")) {
            store.problem("url", "expected a JDBC URL", "write e.g. jdbc:postgresql://host:5432/caravan");
            return null;
        }
        return url;
    }

    /**
     * {@code dashboard_store} (read by {@code io.caravan.state.RunStores}): a JDBC URL, or a MongoDB URL with the
     * seed's {@code db_name} and {@code collection_name}; {@code username} and {@code password} with either.
     *
     * @return the values by key, the password as written; empty when absent
     */
    private static Map<String, String> dashboardStore(MapReader top) {
        MapReader store = top.map("dashboard_store", DASHBOARD_KEYS, null);
        Map<String, String> values = new LinkedHashMap<>();
        String url = store.text("url", "write a JDBC URL (e.g. jdbc:postgresql://host:5432/caravan) or a MongoDB URL"
                + " (e.g. mongodb://host:27017), or leave dashboard_store out for the embedded store");
        boolean jdbc = url != null && url.matches("jdbc:[a-z0-9]+:.+");
        boolean mongo = url != null && (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://"));
        if (url != null && !jdbc && !mongo) {
            store.problem("url", "expected a JDBC or MongoDB URL",
                    "write e.g. jdbc:postgresql://host:5432/caravan or mongodb://host:27017");
        }
        putIfPresent(values, "url", url);
        putIfPresent(values, "username", store.text("username", null));
        Secret password = store.secret("password");
        putIfPresent(values, "password", password.isEmpty() ? null : password.text());
        for (String key : List.of("db_name", "collection_name")) {
            String name = store.text(key, null);
            if (name != null && jdbc) {
                store.problem(key, "is for a MongoDB url only", "a JDBC URL names its database; remove " + key);
            }
            putIfPresent(values, key, name);
        }
        store.finish();
        return Collections.unmodifiableMap(values);
    }

    private static void putIfPresent(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}
