package io.caravan.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The seed's {@code partition_col_format}: the source type of the partition column (default str). */
public enum PartitionFormat {
    DATETIME, INT, STR;

    /** @return the value written in mappings */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return every wire value, comma separated */
    public static String allowed() {
        return Arrays.stream(values()).map(PartitionFormat::wireValue).collect(Collectors.joining(", "));
    }

    /**
     * @param text a wire value
     * @return the format
     * @throws IllegalArgumentException naming the allowed values
     */
    public static PartitionFormat parse(String text) {
        for (PartitionFormat f : values()) {
            if (f.wireValue().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown partition_col_format '" + text + "'; allowed: " + allowed());
    }
}
