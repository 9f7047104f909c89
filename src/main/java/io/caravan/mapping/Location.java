package io.caravan.mapping;

/**
 * A place in a mapping or settings file.
 *
 * @param file   the file as given to the loader ({@code Path.toString()}); never null
 * @param line   1-based line
 * @param column 1-based column
 */
public record Location(String file, int line, int column) {

    /** @return {@code file:line:col}, e.g. {@code mappings/shop.yaml:12:5} */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
