package io.caravan.camel;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.ScheduledPollEndpoint;

/** Endpoint of {@link TableComponent}. Options: {@code mapping} (file path, required), {@code batchSize} (rows). */
public class TableEndpoint extends ScheduledPollEndpoint {

    private String table;
    private String mapping;
    private int batchSize;

    public TableEndpoint(String uri, Component component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("caravan-table can only be used in from: it reads a table");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TableConsumer consumer = new TableConsumer(this, processor);
        configureConsumer(consumer);
        io.caravan.runtime.CaravanRuntime runtime = getCamelContext().getRegistry()
                .lookupByNameAndType(io.caravan.runtime.CaravanRuntime.BEAN, io.caravan.runtime.CaravanRuntime.class);
        if (runtime != null && runtime.serveOptions() != null) {
            String cron = runtime.mapping(mapping).table(table).cron();
            consumer.schedule(io.caravan.mapping.Crons.toQuartz(cron), runtime.serveOptions());
        }
        return consumer;
    }

    /** @return the table's {@code table_name} in the mapping */
    public String getTable() {
        return table;
    }

    /** @param table the table's {@code table_name} in the mapping (the URI's path) */
    public void setTable(String table) {
        this.table = table;
    }

    /** @return the mapping file, relative to the working directory */
    public String getMapping() {
        return mapping;
    }

    /** @param mapping the mapping file, relative to the working directory; required */
    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    /** @return rows per batch; 0 for the mapping's {@code batch_size} */
    public int getBatchSize() {
        return batchSize;
    }

    /** @param batchSize rows per batch; 0 (default) for the mapping's {@code batch_size} */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
