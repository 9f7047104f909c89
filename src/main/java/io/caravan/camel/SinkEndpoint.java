package io.caravan.camel;

import io.caravan.batch.Batch;
import io.caravan.runtime.CaravanRuntime;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** Endpoint of {@link SinkComponent}; the path is the destination's name in the mapping. */
public class SinkEndpoint extends DefaultEndpoint {

    private final String destination;

    public SinkEndpoint(String uri, Component component, String destination) {
        super(uri, component);
        this.destination = destination;
    }

    /** @return the destination's name in the mapping */
    public String getDestination() {
        return destination;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                Batch batch = exchange.getIn().getMandatoryBody(Batch.class);
                CaravanRuntime runtime = getCamelContext().getRegistry()
                        .lookupByNameAndType(CaravanRuntime.BEAN, CaravanRuntime.class);
                try {
                    runtime.destination(batch.run(), destination).write(batch);
                } catch (RuntimeException e) {
                    batch.run().fail(e);
                    throw e;
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan-sink can only be used in to: it writes batches");
    }
}
