package io.caravan.source.api;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Fetches the pages of one endpoint through Camel's HTTP component ({@code camel-http}, Apache HttpClient 5): a GET
 * with a {@link ProducerTemplate} to an {@code http(s)://} endpoint, the page's query in the
 * {@code CamelHttpQuery} header and the {@code Authorization} header on the message (the component sends message
 * headers as request headers).
 *
 * <p>The Source SPI hands a source its run, not the route's {@link CamelContext}, so when none is given this client
 * starts a context of its own holding only the HTTP component (about a tenth of a second, once per run) and stops it
 * on {@link #close()}.
 */
final class PageClient implements AutoCloseable {

    private final CamelContext context;
    private final boolean ownContext;
    private final ProducerTemplate template;
    private final String endpoint;
    private final String baseQuery;
    private final String shownBase;
    private final String authorization;

    /**
     * @param url           the endpoint as the mapping writes it, {@code http(s)://host[:port]/path[?query]}
     * @param authorization the {@code Authorization} header's value, resolved; null for none
     * @param context       a started Camel context to use; null to start one
     */
    PageClient(String url, String authorization, CamelContext context) {
        URI uri = URI.create(url);
        this.baseQuery = uri.getRawQuery();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        this.shownBase = uri.getScheme() + "://" + hostPort + path;
        // the component's own options; the page's query travels in the CamelHttpQuery header
        this.endpoint = shownBase + "?throwExceptionOnFailure=false&followRedirects=true";
        this.authorization = authorization;
        this.ownContext = context == null;
        if (ownContext) {
            DefaultCamelContext own = new DefaultCamelContext();
            own.getCamelContextExtension().setName("caravan-api-source");
            own.start();
            this.context = own;
        } else {
            this.context = context;
        }
        this.template = this.context.createProducerTemplate();
    }

    /** What one GET returned. */
    record Page(int status, byte[] body) {
    }

    /**
     * @param param the paging parameter's name; null for none
     * @param value its value, unencoded; null to leave the parameter out
     * @return the status and body of the answer, whatever the status
     * @throws IOException naming the URL (without secrets) when the server cannot be reached
     */
    Page get(String param, String value) throws IOException {
        String query = query(param, value);
        Exchange answer = template.request(endpoint, e -> {
            e.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
            if (query != null) {
                e.getIn().setHeader(Exchange.HTTP_QUERY, query);
            }
            e.getIn().setHeader("Accept", "application/json");
            if (authorization != null) {
                e.getIn().setHeader("Authorization", authorization);
            }
        });
        if (answer.getException() != null) {
            Throwable cause = answer.getException();
            throw new IOException("cannot reach " + shown(param, value) + ": " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
        Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = answer.getMessage().getBody(byte[].class);
        return new Page(status == null ? 0 : status, body == null ? new byte[0] : body);
    }

    private String query(String param, String value) {
        String own = param == null || value == null ? null
                : URLEncoder.encode(param, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value,
                StandardCharsets.UTF_8);
        if (baseQuery == null || baseQuery.isEmpty()) {
            return own;
        }
        return own == null ? baseQuery : baseQuery + "&" + own;
    }

    /**
     * @return the URL of a page as error messages show it: no user info, and the values of the mapping's own query
     *         parameters (which may carry an API key) replaced by {@code ***}; the paging parameter is shown
     */
    String shown(String param, String value) {
        StringBuilder sb = new StringBuilder(shownBase);
        char sep = '?';
        if (baseQuery != null && !baseQuery.isEmpty()) {
            for (String pair : baseQuery.split("&")) {
                int eq = pair.indexOf('=');
                sb.append(sep).append(eq < 0 ? pair : pair.substring(0, eq) + "=***");
                sep = '&';
            }
        }
        if (param != null && value != null) {
            sb.append(sep).append(param).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            template.stop();
        } finally {
            if (ownContext) {
                context.stop();
            }
        }
    }
}
