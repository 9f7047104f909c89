package io.caravan.mapping;

/**
 * One named entry of the mapping's {@code destination} map (DMS seed, "Destination").
 *
 * @param name            the user's name for the destination (the map key); never null
 * @param destinationType {@code pgsql} (other types come with later destinations); never null
 * @param url             {@code host[:port]}, a {@code jdbc:postgresql:} URL, or {@code embedded}; never null
 * @param dbName          database name; never null
 * @param username        user name; empty when not given
 * @param password        password; {@link Secret#NONE} when not given
 * @param schema          target schema; never null: the default {@code sql_<source db_name>_dms} is filled in by
 *                        the loader
 */
public record DestinationSpec(String name, String destinationType, String url, String dbName, String username,
                              Secret password, String schema) {
}
