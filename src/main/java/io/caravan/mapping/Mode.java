package io.caravan.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a destination holds after each run of a table (DESIGN §3; the DMS seed's "modes of operation").
 * Wire values are the lowercase names used in mappings.
 */
public enum Mode {
    /** Every run reads every row and appends it with {@code migration_snapshot_date}. */
    DUMPING,
    /** Rows whose primary key is above the stored cursor are appended; never updated or deleted. */
    LOGGING,
    /** Rows whose (bookmark, primary key) is above the cursor, widened by the lags, are upserted; never deleted. */
    SYNCING,
    /** As syncing, then rows gone at the source are deleted at every destination. */
    MIRRORING;

    /** @return the value written in mappings, e.g. {@code syncing} */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return every wire value, comma separated, for error messages */
    public static String allowed() {
        return Arrays.stream(values()).map(Mode::wireValue).collect(Collectors.joining(", "));
    }

    /**
     * @param text a wire value; may be null
     * @return the mode
     * @throws IllegalArgumentException naming the allowed values when {@code text} is not one of them
     */
    public static Mode parse(String text) {
        for (Mode m : values()) {
            if (m.wireValue().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "'; allowed: " + allowed());
    }

    /** @return true when the mode reads by keyset on (bookmark, primary key) */
    public boolean usesBookmark() {
        return this == SYNCING || this == MIRRORING;
    }
}
