package io.caravan.camel;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * The {@code caravan-table:<table_name>?mapping=<file>} component: a polling consumer that runs one table of a job
 * each time it fires ({@code repeatCount=1} for a one-shot run; Camel's {@code scheduler=quartz} for a cron).
 * The exchange's body is the run's {@link io.caravan.source.BatchStream}, for the route to split.
 */
public class TableComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TableEndpoint endpoint = new TableEndpoint(uri, this);
        endpoint.setTable(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
