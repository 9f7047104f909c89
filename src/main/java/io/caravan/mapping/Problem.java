package io.caravan.mapping;

/**
 * One thing wrong in a mapping or settings file.
 *
 * @param location where it is: the offending value, the offending key (unknown keys), or the start of the enclosing
 *                 map (missing keys); never null
 * @param path     key path, e.g. {@code source.url}, {@code destination.warehouse.db_name}, {@code tables[2].mode},
 *                 {@code tables[0].buffer_updation_lag.hours}; null (or empty) for problems of the whole file
 *                 (syntax, name)
 * @param value    the offending value as written; null when there is none to show (missing or unknown key)
 * @param message  what is wrong, e.g. {@code unknown mode}; never null
 * @param hint     what to do or the allowed values, e.g. {@code allowed: dumping, logging, syncing, mirroring};
 *                 null when there is nothing to add
 */
public record Problem(Location location, String path, String value, String message, String hint) {

    /**
     * @return {@code <file>:<line>:<col> <path>: <message> (got '<value>'); <hint>}, where {@code " (got '…')"} is
     *         left out when the value is null, {@code "; <hint>"} when the hint is null and {@code "<path>: "} when
     *         the path is null or empty. For example
     *         {@code shop.yaml:7:11 tables[0].mode: unknown mode (got 'mirror'); allowed: dumping, logging, …}
     */
    public String format() {
        StringBuilder text = new StringBuilder().append(location).append(' ');
        if (path != null && !path.isEmpty()) {
            text.append(path).append(": ");
        }
        text.append(message);
        if (value != null) {
            text.append(" (got '").append(value).append("')");
        }
        if (hint != null) {
            text.append("; ").append(hint);
        }
        return text.toString();
    }
}
