package io.caravan.camel;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * The {@code caravan-sink:<destination>} component: writes each {@link io.caravan.batch.Batch} body to the named
 * destination of the batch's job, in one transaction per batch, and passes the batch on unchanged.
 */
public class SinkComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SinkEndpoint endpoint = new SinkEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
