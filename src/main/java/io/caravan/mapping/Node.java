package io.caravan.mapping;

import java.util.List;
import java.util.Map;

/**
 * A parsed YAML or JSON value that remembers where it was written, so that every problem can name its
 * {@code file:line:col}. Built by {@link TreeParser}; read by {@link MapReader}.
 */
sealed interface Node permits Node.Scalar, Node.MapNode, Node.ListNode {

    /** @return where the value starts; for a map, its first key (YAML) or its opening brace (JSON) */
    Location location();

    /** @return how the value is named in messages, e.g. {@code a map} */
    String describe();

    /**
     * @param parent the parent's key path; empty at the top of the file
     * @param key    a key of the parent map
     * @return e.g. {@code source.url}, or {@code source} at the top
     */
    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /**
     * @param parent the list's key path, e.g. {@code tables}
     * @param index  0-based item index
     * @return e.g. {@code tables[2]}
     */
    static String itemPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The type a YAML or JSON scalar was read as. */
    enum ScalarType { STRING, INT, FLOAT, TRUE, FALSE, NULL }

    /**
     * @param location where the value starts
     * @param text     the value as written ({@code 10000}, {@code true}, {@code ~}); never null
     * @param type     how the parser read it
     */
    record Scalar(Location location, String text, ScalarType type) implements Node {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "a string";
                case INT, FLOAT -> "a number";
                case TRUE, FALSE -> "a boolean";
                case NULL -> "no value";
            };
        }
    }

    /**
     * One {@code key: value} of a map.
     *
     * @param key         the key
     * @param keyLocation where the key is written
     * @param value       the value; never null (an empty value is a {@link ScalarType#NULL} scalar)
     */
    record Entry(String key, Location keyLocation, Node value) {
    }

    /**
     * @param location where the map starts
     * @param entries  entries by key, in file order
     */
    record MapNode(Location location, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a map";
        }
    }

    /**
     * @param location where the list starts
     * @param items    the items, in file order
     */
    record ListNode(Location location, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
