package io.caravan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Camel YAML DSL file's top-level entries as YAML trees: routes by id, beans by name, and every other entry. Two
 * versions of a file are compared with it to find the routes whose definition changed.
 *
 * @param routes routes that have an id, by id
 * @param beans  entries of {@code beans:} sections, by name
 * @param others every other top-level entry (a route template, a route configuration, ...), in file order
 */
record RouteTree(Map<String, JsonNode> routes, Map<String, JsonNode> beans, List<JsonNode> others) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * @param oldText the file's previous text; null when there was none
     * @param newText the file's new text; null when it was deleted
     * @param newIds  ids of the routes of the new text (null for a route without an id)
     * @return those of {@code newIds} whose route changed: new, different, naming a bean whose entry changed, or
     *         all of them when an entry other than a route or bean changed or a text is not a YAML list; a route
     *         without an id always counts as changed
     */
    static Set<String> changedRoutes(String oldText, String newText, Collection<String> newIds) {
        RouteTree before = of(oldText);
        RouteTree after = of(newText);
        boolean all = before == null || after == null || !Objects.equals(before.others(), after.others());
        Set<String> beans = all ? Set.of() : changedBeans(before.beans(), after.beans());
        Set<String> changed = new LinkedHashSet<>();
        for (String id : newIds) {
            JsonNode old = id == null || before == null ? null : before.routes().get(id);
            JsonNode now = id == null || after == null ? null : after.routes().get(id);
            if (all || old == null || !old.equals(now) || names(now, beans)) {
                changed.add(id);
            }
        }
        return changed;
    }

    /** @return null when the text is null or not a YAML list */
    static RouteTree of(String text) {
        if (text == null) {
            return null;
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            return null;
        }
        if (!(root instanceof ArrayNode items)) {
            return null;
        }
        RouteTree t = new RouteTree(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
        items.forEach(t::add);
        return t;
    }

    private void add(JsonNode item) {
        JsonNode route = item.get("route");
        if (route != null && route.hasNonNull("id") && item.size() == 1) {
            routes.put(route.get("id").asText(), route);
        } else if (item.get("beans") instanceof ArrayNode list && item.size() == 1) {
            list.forEach(b -> beans.put(b.path("name").asText(), b));
        } else if (route == null && !item.has("from")) {
            others.add(item);
        }
    }

    private static Set<String> changedBeans(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        Set<String> names = new LinkedHashSet<>();
        before.forEach((n, b) -> {
            if (!b.equals(after.get(n))) {
                names.add(n);
            }
        });
        after.keySet().stream().filter(n -> !before.containsKey(n)).forEach(names::add);
        return names;
    }

    /** @return whether the route names one of the beans as a whole string value ({@code ref: greeter}) */
    private static boolean names(JsonNode route, Set<String> beans) {
        String text = route == null ? "" : route.toString();
        return beans.stream().anyMatch(b -> text.contains("\"" + b + "\""));
    }
}
