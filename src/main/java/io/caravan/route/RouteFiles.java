package io.caravan.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.caravan.mapping.Location;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.Problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Tells route files from mapping files, and finds the mappings a route file names. */
public final class RouteFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RouteFiles() {
    }

    /** @return true when the file is a Camel YAML DSL route file (a top-level list), false for a mapping (a map) */
    public static boolean isRouteFile(Path file) {
        try {
            return isRouteText(Files.readString(file));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param text a YAML or JSON file's text; never null
     * @return true for a Camel YAML DSL route file (a top-level list), false for a mapping (a map)
     */
    public static boolean isRouteText(String text) {
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.equals("---")) {
                continue;
            }
            return t.startsWith("- ");
        }
        return false;
    }

    /**
     * @return every mapping file the route file's caravan source kamelets name ({@code parameters.mapping})
     * @throws MappingException when the route file is not readable YAML
     */
    public static List<Path> referencedMappings(Path routeFile) {
        List<Path> out = new ArrayList<>();
        try {
            collect(YAML.readTree(routeFile.toFile()), out);
        } catch (IOException e) {
            throw new MappingException(List.of(new Problem(new Location(routeFile.toString(), 1, 1), "", null,
                    "cannot read route file: " + e.getMessage(), "fix the YAML")));
        }
        return out;
    }

    private static void collect(JsonNode node, List<Path> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                if (f.getKey().equals("mapping") && f.getValue().isTextual()) {
                    Path p = Path.of(f.getValue().asText());
                    if (!out.contains(p)) {
                        out.add(p);
                    }
                } else {
                    collect(f.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }
}
