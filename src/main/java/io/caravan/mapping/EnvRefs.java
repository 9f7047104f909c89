package io.caravan.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves {@code ${env:NAME}} references in mapping and settings values at load time. */
final class EnvRefs {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}]*)}");

    private EnvRefs() {
    }

    /**
     * @param raw      the value as written, e.g. {@code ${env:PG_HOST}:5432}
     * @param at       where the value is, for problems
     * @param path     the value's key path, for problems
     * @param problems receives one problem per unset variable
     * @return {@code raw} with every reference replaced by its variable's value; null when a variable is not set
     */
    static String resolve(String raw, Location at, String path, Problems problems) {
        Matcher matcher = ENV.matcher(raw);
        StringBuilder resolved = new StringBuilder();
        boolean complete = true;
        while (matcher.find()) {
            String value = System.getenv(matcher.group(1));
            if (value == null) {
                problems.add(at, path, raw, "environment variable " + matcher.group(1) + " is not set",
                        "export it or write the value");
                complete = false;
                value = "";
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return complete ? resolved.toString() : null;
    }
}
