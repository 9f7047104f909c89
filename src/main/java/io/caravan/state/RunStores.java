package io.caravan.state;

import io.caravan.mapping.Secret;
import io.caravan.mapping.Settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the run store the settings' {@code dashboard_store} names (DMS seed, "Settings"):
 * <ul>
 *   <li>absent or empty: the embedded H2 store {@code runs} under the state directory ({@link JdbcRunStore});</li>
 *   <li>{@code url: jdbc:...}: that database ({@link JdbcRunStore}: H2, PostgreSQL, MariaDB/MySQL), with the
 *       optional {@code username} and {@code password} ({@code ${env:NAME}} allowed);</li>
 *   <li>{@code url: mongodb://...} or {@code mongodb+srv://...}: that MongoDB ({@link MongoRunStore}), database
 *       {@code db_name} (default {@value #DEFAULT_DB_NAME}), collection {@code collection_name} (default
 *       {@value #DEFAULT_COLLECTION_NAME}), with the optional {@code username} and {@code password} (or those of
 *       the URL).</li>
 * </ul>
 */
public final class RunStores {

    /** MongoDB database when {@code db_name} is absent. */
    public static final String DEFAULT_DB_NAME = "caravan";
    /** MongoDB collection when {@code collection_name} is absent. */
    public static final String DEFAULT_COLLECTION_NAME = "runs";

    private RunStores() {
    }

    /**
     * @param settings the settings; never null
     * @param stateDir the state directory of the embedded store, usually {@code .caravan} in the working directory
     * @return the open store; the caller closes it
     * @throws StateException naming the {@code dashboard_store} key when the settings are not a store this build
     *                        knows, or when the store cannot be opened
     */
    public static RunStore open(Settings settings, Path stateDir) {
        Map<String, String> store = settings.dashboardStore();
        if (store == null || store.isEmpty()) {
            return JdbcRunStore.openEmbedded(stateDir);
        }
        String url = store.get("url");
        if (url == null || url.isBlank()) {
            throw new StateException("dashboard_store.url: missing; write a JDBC URL (jdbc:postgresql://host/db) or a"
                    + " MongoDB URL (mongodb://host:27017), or leave dashboard_store out for the embedded store", null);
        }
        if (isJdbc(url)) {
            return JdbcRunStore.open(url, resolve(store, "username"), resolve(store, "password"));
        }
        if (isMongo(url)) {
            return MongoRunStore.open(url, resolve(store, "username"), resolve(store, "password"),
                    store.getOrDefault("db_name", DEFAULT_DB_NAME),
                    store.getOrDefault("collection_name", DEFAULT_COLLECTION_NAME));
        }
        throw new StateException("dashboard_store.url: expected a JDBC URL or a MongoDB URL (got '"
                + MongoRunStore.redact(JdbcRunStore.redact(url)) + "'); write e.g. jdbc:postgresql://host:5432/caravan"
                + " or mongodb://host:27017", null);
    }

    /** @return true for a {@code jdbc:<subprotocol>:...} URL */
    public static boolean isJdbc(String url) {
        return url.matches("jdbc:[a-z0-9]+:.+");
    }

    /** @return true for a {@code mongodb://} or {@code mongodb+srv://} URL */
    public static boolean isMongo(String url) {
        return url.startsWith("mongodb://") || url.startsWith("mongodb+srv://");
    }

    /** @return the key's value with a whole-value {@code ${env:NAME}} resolved; null when absent */
    private static String resolve(Map<String, String> store, String key) {
        String raw = store.get(key);
        if (raw == null) {
            return null;
        }
        try {
            return new Secret(raw).resolve();
        } catch (IllegalStateException e) {
            throw new StateException("dashboard_store." + key + ": " + e.getMessage(), e);
        }
    }
}
