package io.caravan.destination.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The key range of each data object of one table folder, so that copy-on-write syncing reads only the objects that
 * may hold a batch's keys. Kept in memory during a run and in the folder as {@value #NAME} (JSON: object key to
 * {@code {"size": bytes, "min": key, "max": key}}; names starting with {@code _} are ignored by Athena and Hive).
 *
 * <p>Safety rule: an entry's range always covers every key the object may hold. The file is written before the
 * batch's objects are put, with the range of each object about to be written or rewritten widened to cover its
 * old and its new keys, and with {@code size} -1 ("any content"); the exact range and size of an object are kept
 * once its put has returned and reach the file with the next batch (or at the end of the run). So whatever point
 * a run dies at, the file never claims that an object lacks a key it holds. An entry with a size is trusted only
 * while the object's listed size matches; an object without a trusted entry is read. Keys are compared as numbers
 * when the key column is numeric, else as text.
 */
final class KeyRanges {

    /** The file's name in the table folder. */
    static final String NAME = "_caravan_keys.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A range. @param size bytes of the object it was computed from, -1 when it covers any content */
    record Range(long size, String min, String max) {
    }

    private final Comparator<String> order;
    private final Map<String, Range> ranges = new TreeMap<>();
    private final Map<String, Range> exact = new HashMap<>();

    /** @param numeric true when keys compare as numbers */
    KeyRanges(boolean numeric) {
        this.order = numeric ? KeyRanges::compareNumbers : Comparator.naturalOrder();
    }

    /**
     * A total order on the text of numeric keys: numbers by value, then text that is not a number (such as
     * {@code NaN} or {@code Infinity}, which numeric and float keys may hold) by text after every number.
     */
    static int compareNumbers(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (x == null && y == null) {
            return a.compareTo(b);
        }
        return x == null ? 1 : -1;
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return the key order */
    Comparator<String> order() {
        return order;
    }

    /** Reads the stored file (as {@link ObjectStore#get} copied it to {@code file}). */
    void load(Path file) throws IOException {
        Map<String, Range> stored = JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Range>>() {
        });
        ranges.putAll(stored);
    }

    /** Writes the file to upload: every range, with exact ones from finished puts. */
    void save(Path file) throws IOException {
        ranges.putAll(exact);
        exact.clear();
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(ranges));
    }

    /** Drops entries of objects not in {@code listed}. */
    void retain(Collection<String> listed) {
        // a set: retainAll asks contains() once per entry, which a list answers by scanning it
        Set<String> keep = listed instanceof Set<String> s ? s : new HashSet<>(listed);
        ranges.keySet().retainAll(keep);
        exact.keySet().retainAll(keep);
    }

    /**
     * @param key an object about to be (re)written
     * @param min smallest key of its new content
     * @param max largest key of its new content
     */
    void widen(String key, String min, String max) {
        Range old = ranges.get(key);
        if (old != null) {
            min = order.compare(old.min(), min) < 0 ? old.min() : min;
            max = order.compare(old.max(), max) > 0 ? old.max() : max;
        }
        ranges.put(key, new Range(-1, min, max));
    }

    /** Records the exact range of an object whose put returned; written with the next {@link #save}. */
    void exact(String key, long size, String min, String max) {
        exact.put(key, new Range(size, min, max));
    }

    /** Forgets an object (deleted). */
    void remove(String key) {
        ranges.remove(key);
        exact.remove(key);
    }

    /**
     * @param key        an object
     * @param listedSize its size as listed
     * @param min        smallest key looked for
     * @param max        largest key looked for
     * @return false only when the object surely holds no key in [min, max]
     */
    boolean mayHold(String key, long listedSize, String min, String max) {
        Range r = exact.containsKey(key) ? exact.get(key) : ranges.get(key);
        if (r == null || (r.size() >= 0 && r.size() != listedSize)) {
            return true;
        }
        return order.compare(r.max(), min) >= 0 && order.compare(r.min(), max) <= 0;
    }
}
