package io.caravan.source.kafka;

import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka source's cursor: the next offset to read per partition, kept as the cursor's {@code keyValue} text
 * {@code <partition>=<offset>[,<partition>=<offset>...]}, e.g. {@code 0=124,1=46}. Every record below its
 * partition's offset has been written by every destination.
 */
final class Offsets {

    private Offsets() {
    }

    /**
     * @param text a cursor's {@code keyValue}; null or empty for none
     * @return partition to next offset, sorted by partition; a new mutable map
     * @throws IllegalArgumentException for text in another form (a cursor not written by this source)
     */
    static TreeMap<Integer, Long> parse(String text) {
        TreeMap<Integer, Long> offsets = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return offsets;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a Kafka cursor (<partition>=<offset>,...): " + text);
            }
            offsets.put(Integer.parseInt(pair.substring(0, eq).trim()), Long.parseLong(pair.substring(eq + 1).trim()));
        }
        return offsets;
    }

    /** @return the text form of {@code offsets}, partitions in ascending order */
    static String format(Map<Integer, Long> offsets) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(offsets).forEach((p, o) -> sb.append(sb.length() == 0 ? "" : ",").append(p).append('=').append(o));
        return sb.toString();
    }

    /** @return true when every partition of {@code batch} is at or below its offset in {@code stored} */
    static boolean covers(Map<Integer, Long> stored, Map<Integer, Long> batch) {
        for (Map.Entry<Integer, Long> e : batch.entrySet()) {
            Long s = stored.get(e.getKey());
            if (s == null || s < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
