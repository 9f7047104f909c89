package io.caravan.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) file into a {@link Node} tree over Jackson's
 * streaming parser, keeping the line and column of every key and value. Duplicate keys are problems.
 */
final class TreeParser {

    private final JsonParser parser;
    private final String file;
    private final Problems problems;

    private TreeParser(JsonParser parser, String file, Problems problems) {
        this.parser = parser;
        this.file = file;
        this.problems = problems;
    }

    /**
     * @param file     the file; its extension chooses YAML or JSON
     * @param problems receives the problems: unreadable file, unknown extension, syntax error, duplicate key
     * @return the root value (a {@link Node.Scalar} of type NULL at 1:1 for an empty file); null when the file
     *         cannot be read or parsed, in which case exactly one problem was added
     */
    static Node parse(Path file, Problems problems) {
        String name = file.toString();
        Location start = new Location(name, 1, 1);
        JsonFactory factory = factoryFor(file);
        if (factory == null) {
            problems.add(start, null, String.valueOf(file.getFileName()), "unsupported file type",
                    "name the file .yaml, .yml or .json");
            return null;
        }
        String text = readText(file, start, problems);
        if (text == null) {
            return null;
        }
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() == null) {
                return new Node.Scalar(start, "", Node.ScalarType.NULL);
            }
            return new TreeParser(parser, name, problems).read("");
        } catch (JsonProcessingException e) {
            problems.add(syntaxLocation(name, e), null, null, syntaxMessage(factory, e), "fix the syntax here");
            return null;
        } catch (IOException e) {
            problems.add(start, null, null, "cannot read the file: " + e.getMessage(), null);
            return null;
        }
    }

    private static JsonFactory factoryFor(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return new YAMLFactory();
        }
        return name.endsWith(".json") ? new JsonFactory() : null;
    }

    private static String readText(Path file, Location start, Problems problems) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            problems.add(start, null, null, "file not found", "check the path");
        } catch (IOException | RuntimeException e) {
            problems.add(start, null, null, "cannot read the file: " + e.getMessage(), "check the file");
        }
        return null;
    }

    private static Location syntaxLocation(String file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return new Location(file, 1, 1);
        }
        return new Location(file, at.getLineNr(), Math.max(1, at.getColumnNr()));
    }

    private static String syntaxMessage(JsonFactory factory, JsonProcessingException e) {
        String what = factory instanceof YAMLFactory ? "invalid YAML: " : "invalid JSON: ";
        String detail = e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null
                ? marked.getProblem() : e.getOriginalMessage();
        return what + String.valueOf(detail).lines().findFirst().orElse("").trim();
    }

    private Node read(String path) throws IOException {
        Location at = location();
        return switch (parser.currentToken()) {
            case START_OBJECT -> readMap(path, at);
            case START_ARRAY -> readList(path, at);
            default -> scalar(at);
        };
    }

    private Node readMap(String path, Location at) throws IOException {
        Map<String, Node.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Location keyAt = location();
            parser.nextToken();
            String keyPath = Node.childPath(path, key);
            Node value = read(keyPath);
            Node.Entry first = entries.get(key);
            if (first != null) {
                problems.add(keyAt, keyPath, null, "duplicate key",
                        "already written at line " + first.keyLocation().line() + "; keep one of them");
            } else {
                entries.put(key, new Node.Entry(key, keyAt, value));
            }
        }
        return new Node.MapNode(at, Collections.unmodifiableMap(entries));
    }

    private Node readList(String path, Location at) throws IOException {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(Node.itemPath(path, items.size())));
        }
        return new Node.ListNode(at, Collections.unmodifiableList(items));
    }

    private Node scalar(Location at) throws IOException {
        Node.ScalarType type = switch (parser.currentToken()) {
            case VALUE_NUMBER_INT -> Node.ScalarType.INT;
            case VALUE_NUMBER_FLOAT -> Node.ScalarType.FLOAT;
            case VALUE_TRUE -> Node.ScalarType.TRUE;
            case VALUE_FALSE -> Node.ScalarType.FALSE;
            case VALUE_NULL -> Node.ScalarType.NULL;
            default -> Node.ScalarType.STRING;
        };
        String text = parser.getText();
        return new Node.Scalar(at, text == null ? "" : text, type);
    }

    private Location location() {
        JsonLocation at = parser.currentTokenLocation();
        return new Location(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }
}
