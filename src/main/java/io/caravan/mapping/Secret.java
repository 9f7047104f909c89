package io.caravan.mapping;

/**
 * A password or token as written in a mapping: either a literal or a {@code ${env:NAME}} reference.
 * {@link #toString()} never shows the value, so a secret can be logged or printed safely.
 *
 * @param text the text of the mapping, e.g. {@code ${env:PG_PASSWORD}} or a literal; never null
 */
public record Secret(String text) {

    /** An empty secret (no password). */
    public static final Secret NONE = new Secret("");

    /** @return the environment variable's name when the text is {@code ${env:NAME}}, else null */
    public String envName() {
        if (text.startsWith("${env:") && text.endsWith("}")) {
            return text.substring(6, text.length() - 1);
        }
        return null;
    }

    /**
     * @return the value: the environment variable's value for {@code ${env:NAME}}, else the literal text
     * @throws IllegalStateException when the named environment variable is not set
     */
    public String resolve() {
        String env = envName();
        if (env == null) {
            return text;
        }
        String value = System.getenv(env);
        if (value == null) {
            throw new IllegalStateException("environment variable " + env + " is not set");
        }
        return value;
    }

    /** @return true when no password was given */
    public boolean isEmpty() {
        return text.isEmpty();
    }

    @Override
    public String toString() {
        return envName() != null ? text : (text.isEmpty() ? "" : "******");
    }
}
