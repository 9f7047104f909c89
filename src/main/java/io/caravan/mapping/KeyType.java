package io.caravan.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The seed's {@code primary_key_datatype}: str, uuid, int or datetime. */
public enum KeyType {
    STR, UUID, INT, DATETIME;

    /** @return the value written in mappings, e.g. {@code uuid} */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return every wire value, comma separated */
    public static String allowed() {
        return Arrays.stream(values()).map(KeyType::wireValue).collect(Collectors.joining(", "));
    }

    /**
     * @param text a wire value
     * @return the key type
     * @throws IllegalArgumentException naming the allowed values
     */
    public static KeyType parse(String text) {
        for (KeyType t : values()) {
            if (t.wireValue().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown primary_key_datatype '" + text + "'; allowed: " + allowed());
    }
}
