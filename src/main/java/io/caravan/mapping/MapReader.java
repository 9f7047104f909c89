package io.caravan.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the keys of one map of a mapping or settings file, adding a {@link Problem} for each wrong type, value,
 * missing key and (in {@link #finish()}) unknown key. Every getter returns null when the key is absent or its
 * value is wrong, so that reading goes on and every problem of a file is found.
 *
 * <p>An empty value ({@code key:} or {@code key: null}) counts as absent. A reader over a map that is itself
 * absent or not a map reads as empty and reports no missing keys (the parent reported the map).
 */
final class MapReader {

    private static final Pattern CLASS_NAME =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private final Node.MapNode map;
    private final String path;
    private final List<String> allowed;
    private final Problems problems;
    private final boolean present;

    private MapReader(Node.MapNode map, String path, List<String> allowed, Problems problems, boolean present) {
        this.map = map;
        this.path = path;
        this.allowed = allowed;
        this.problems = problems;
        this.present = present;
    }

    /**
     * @param node     the value to read as a map; null or an empty value for an absent map
     * @param at       where to point when {@code node} is null (the enclosing map's start)
     * @param path     the map's key path; empty for the top of the file
     * @param allowed  the allowed keys in documentation order; null when any key is allowed
     * @param problems receives the problems
     * @param hint     what to do when {@code node} is not a map
     * @return a reader; an empty one when {@code node} is absent or not a map (then a problem was added)
     */
    static MapReader of(Node node, Location at, String path, List<String> allowed, Problems problems, String hint) {
        if (node instanceof Node.MapNode map) {
            return new MapReader(map, path, allowed, problems, true);
        }
        Location start = node == null ? at : node.location();
        MapReader empty = new MapReader(new Node.MapNode(start, Map.of()), path, allowed, problems, false);
        if (node != null && !isNull(node)) {
            empty.wrongType(path, node, "a map", hint);
        }
        return empty;
    }

    /** @return true when {@code key} is one of this map's allowed keys (every key is when any key is allowed) */
    boolean allows(String key) {
        return allowed == null || allowed.contains(key);
    }

    /** @return true when the map was there and was a map */
    boolean present() {
        return present;
    }

    /** @return where the map starts */
    Location location() {
        return map.location();
    }

    /** @return the key path of {@code key} in this map, e.g. {@code source.url} */
    String path(String key) {
        return Node.childPath(path, key);
    }

    /** @return true when {@code key} is written with a non-empty value */
    boolean has(String key) {
        Node.Entry entry = entry(key);
        return entry != null && !isNull(entry.value());
    }

    /** @return where the value of {@code key} is; the map's start when the key is absent */
    Location valueLocation(String key) {
        Node.Entry entry = entry(key);
        return entry == null ? map.location() : entry.value().location();
    }

    /** @return the entries as written, in file order */
    Map<String, Node.Entry> entries() {
        return map.entries();
    }

    /**
     * @param key          a key of this map
     * @param requiredHint what to do when the key is missing; null when the key is optional
     * @return the value's text (numbers are taken as written); null when absent or not a string
     */
    String string(String key, String requiredHint) {
        Node value = value(key, requiredHint);
        if (value instanceof Node.Scalar scalar && !isBoolean(scalar)) {
            return scalar.text();
        }
        if (value != null) {
            wrongType(path(key), value, "a string", value instanceof Node.Scalar ? "quote the value" : null);
        }
        return null;
    }

    /**
     * As {@link #string} then with every {@code ${env:NAME}} replaced by the environment variable's value.
     *
     * @return the resolved text; null when absent, not a string or naming an unset variable (then a problem)
     */
    String text(String key, String requiredHint) {
        String raw = string(key, requiredHint);
        return raw == null ? null : EnvRefs.resolve(raw, valueLocation(key), path(key), problems);
    }

    /** @return the secret as written (never resolved); {@link Secret#NONE} when absent or invalid */
    Secret secret(String key) {
        String raw = string(key, null);
        return raw == null ? Secret.NONE : new Secret(raw);
    }

    /**
     * @param min  the smallest allowed value
     * @param hint what to do when the value is not a whole number of {@code min} or more
     * @return the number; null when absent or invalid
     */
    Integer integer(String key, int min, String hint) {
        Node value = value(key, null);
        if (value == null) {
            return null;
        }
        Long number = value instanceof Node.Scalar s && s.type() == Node.ScalarType.INT ? parseLong(s.text()) : null;
        if (number == null || number > Integer.MAX_VALUE) {
            wrongType(path(key), value, "a whole number", hint);
            return null;
        }
        if (number < min) {
            problem(key, "must be " + min + " or more", hint);
            return null;
        }
        return number.intValue();
    }

    /** @return the boolean; null when absent or not true/false */
    Boolean bool(String key) {
        Node value = value(key, null);
        if (value instanceof Node.Scalar s && isBoolean(s)) {
            return s.type() == Node.ScalarType.TRUE;
        }
        if (value != null) {
            wrongType(path(key), value, "true or false", "write true or false without quotes");
        }
        return null;
    }

    /**
     * @param what         the value's name in messages, e.g. {@code mode} gives {@code unknown mode}
     * @param parse        the enum's {@code parse}, throwing IllegalArgumentException for unknown values
     * @param allowedText  the allowed values, comma separated
     * @param requiredHint null when optional
     * @return the value; null when absent or unknown
     */
    <E> E choice(String key, String what, Function<String, E> parse, String allowedText, String requiredHint) {
        String text = string(key, requiredHint);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, "unknown " + what, "allowed: " + allowedText);
            return null;
        }
    }

    /**
     * @param allowedKeys  the nested map's allowed keys; null for any
     * @param requiredHint null when optional
     * @return a reader of the nested map; an empty one when absent or not a map
     */
    MapReader map(String key, List<String> allowedKeys, String requiredHint) {
        String what = allowedKeys == null ? "keys and values" : String.join(", ", allowedKeys);
        return map(key, allowedKeys, requiredHint, "write a map of " + what);
    }

    /** As {@link #map(String, List, String)}, with {@code typeHint} for a value that is not a map. */
    MapReader map(String key, List<String> allowedKeys, String requiredHint, String typeHint) {
        Node value = value(key, requiredHint);
        return of(value, map.location(), path(key), allowedKeys, problems, typeHint);
    }

    /** @return the list; null when absent or not a list */
    Node.ListNode list(String key, String requiredHint) {
        Node value = value(key, requiredHint);
        if (value instanceof Node.ListNode list) {
            return list;
        }
        if (value != null) {
            wrongType(path(key), value, "a list", "write one '-' item per line (YAML) or [ ... ] (JSON)");
        }
        return null;
    }

    /**
     * @return the boolean when {@code key} is written as {@code true} or {@code false} (or YAML's {@code yes},
     *         {@code no}, {@code on}, {@code off}); null otherwise, without a problem
     */
    Boolean booleanOrNull(String key) {
        Node.Entry entry = entry(key);
        if (entry != null && entry.value() instanceof Node.Scalar s && isBoolean(s)) {
            return s.type() == Node.ScalarType.TRUE;
        }
        return null;
    }

    /**
     * @return the fully qualified Java class name; null when absent or not a class name (then a problem)
     */
    String className(String key) {
        String name = string(key, null);
        if (name != null && !CLASS_NAME.matcher(name).matches()) {
            problem(key, "expected a Java class name",
                    "write a fully qualified class name, e.g. com.example.shop.OrderProcessor");
            return null;
        }
        return name;
    }

    /** Reports that {@code key} is missing: at its key when written empty, else at the start of this map. */
    void missing(String key, String message, String hint) {
        if (!present) {
            return;
        }
        Node.Entry entry = entry(key);
        problems.add(entry == null ? map.location() : entry.keyLocation(), path(key), null, message, hint);
    }

    /** Reports a wrong value of {@code key} at the value, showing it when it is a scalar. */
    void problem(String key, String message, String hint) {
        Node.Entry entry = entry(key);
        Node value = entry == null ? null : entry.value();
        String shown = value instanceof Node.Scalar s ? s.text() : null;
        problems.add(value == null ? map.location() : value.location(), path(key), shown, message, hint);
    }

    /** Reports every key that is not allowed, suggesting the nearest allowed key. */
    void finish() {
        if (allowed == null) {
            return;
        }
        for (Node.Entry entry : map.entries().values()) {
            if (!allowed.contains(entry.key())) {
                String near = Suggestions.nearest(entry.key(), allowed);
                String hint = near != null
                        ? "did you mean '" + near + "'?" : "allowed keys: " + String.join(", ", allowed);
                problems.add(entry.keyLocation(), path(entry.key()), null, "unknown key", hint);
            }
        }
    }

    private Node value(String key, String requiredHint) {
        Node.Entry entry = entry(key);
        if (entry == null || isNull(entry.value())) {
            if (requiredHint != null) {
                missing(key, entry == null ? "missing required key" : "missing value", requiredHint);
            }
            return null;
        }
        return entry.value();
    }

    private Node.Entry entry(String key) {
        if (allowed != null && !allowed.contains(key)) {
            throw new IllegalArgumentException("key " + key + " is not among the allowed keys " + allowed);
        }
        return map.entries().get(key);
    }

    private void wrongType(String keyPath, Node value, String expected, String hint) {
        String shown = value instanceof Node.Scalar s ? s.text() : null;
        String message = "expected " + expected + (shown == null ? ", found " + value.describe() : "");
        problems.add(value.location(), keyPath, shown, message, hint);
    }

    /** @return true for {@code true}/{@code false} (and YAML's {@code yes}/{@code no}, {@code on}/{@code off}) */
    static boolean isBoolean(Node.Scalar scalar) {
        return scalar.type() == Node.ScalarType.TRUE || scalar.type() == Node.ScalarType.FALSE;
    }

    /** @return true for an empty value ({@code key:}, {@code ~}, {@code null}) */
    static boolean isNull(Node node) {
        return node instanceof Node.Scalar s && s.type() == Node.ScalarType.NULL;
    }

    private static Long parseLong(String text) {
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @return the text values by key of the allowed (or, for any-key maps, all) entries; values that are not
     *         strings are problems and left out; empty values are left out
     */
    Map<String, String> strings() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : map.entries().keySet()) {
            if (allowed != null && !allowed.contains(key)) {
                continue;
            }
            String text = string(key, null);
            if (text != null) {
                values.put(key, text);
            }
        }
        return values;
    }
}
