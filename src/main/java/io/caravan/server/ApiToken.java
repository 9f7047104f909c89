package io.caravan.server;

import io.caravan.mapping.Settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The bearer token every HTTP request that changes something must carry (issue 5, "HTTP"): the settings'
 * {@code api_token} (a literal or {@code ${env:NAME}}), else the {@code CARAVAN_API_TOKEN} environment variable.
 * Immutable and thread-safe.
 */
final class ApiToken {

    /** The environment variable read when the settings give no {@code api_token}. */
    static final String ENV = "CARAVAN_API_TOKEN";

    /** Message of a refused request when no token is configured: says how to set one. */
    static final String NOT_CONFIGURED = "no API token is configured, so requests that change something are refused;"
            + " set api_token in the settings file or the " + ENV + " environment variable";

    private final String token;
    private final String problem;

    private ApiToken(String token, String problem) {
        this.token = token;
        this.problem = problem;
    }

    /**
     * @param settings the settings; never null
     * @param env      the process environment ({@code System.getenv()}); never null
     * @return the configured token; one that refuses every request when neither the settings nor {@code env} give
     *         a non-blank token, or when the settings' {@code ${env:NAME}} names an unset variable
     */
    static ApiToken of(Settings settings, Map<String, String> env) {
        if (!settings.server().apiToken().isEmpty()) {
            try {
                String value = settings.server().apiToken().resolve();
                return value.isBlank() ? none(NOT_CONFIGURED) : new ApiToken(value, null);
            } catch (IllegalStateException e) {
                return none("api_token in the settings names " + settings.server().apiToken() + ": "
                        + e.getMessage() + ", so requests that change something are refused");
            }
        }
        String value = env.get(ENV);
        return value == null || value.isBlank() ? none(NOT_CONFIGURED) : new ApiToken(value, null);
    }

    private static ApiToken none(String problem) {
        return new ApiToken(null, problem);
    }

    /** @return why requests that change something are all refused; null when a token is configured */
    String problem() {
        return problem;
    }

    /** @return whether a token is configured */
    boolean configured() {
        return token != null;
    }

    /**
     * @param authorization the request's {@code Authorization} header; may be null
     * @return null when the header carries the token; else why the request is refused
     */
    String refusal(String authorization) {
        if (token == null) {
            return problem;
        }
        if (authorization == null || authorization.isBlank()) {
            return "this request changes something: send the API token as 'Authorization: Bearer <token>'";
        }
        String prefix = "Bearer ";
        if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return "the Authorization header must be 'Bearer <token>'";
        }
        byte[] given = authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8)) ? null : "wrong API token";
    }
}
