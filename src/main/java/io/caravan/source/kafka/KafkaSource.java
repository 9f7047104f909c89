package io.caravan.source.kafka;

import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.SourceSpec.KafkaSpec;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.Source;
import io.caravan.source.SourceException;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Properties;

/**
 * A Kafka topic as a source ({@code source_type: kafka}, DMS seed "Topics"): JSON records collected into batches of
 * {@code batch_size}, or fewer once the topic has been quiet for {@link #QUIET_PERIOD}; a run ends when the topic
 * is drained (a quiet period with nothing new), so {@code caravan run} stops, and each poll of {@code caravan serve}
 * drains what arrived since. See {@link KafkaBatchStream} for offsets, the cursor and replays.
 *
 * <p>The consumer is kafka-clients' {@link KafkaConsumer}, configured through camel-kafka's
 * {@link KafkaConfiguration} (the same properties a {@code kafka:} endpoint would use): manual commits
 * ({@code enable.auto.commit=false}), {@code auto.offset.reset=earliest} for a group that has no offsets yet, SASL
 * PLAIN over {@code SASL_PLAINTEXT} when the mapping gives {@code kafka_username}. The consumer is a static group
 * member ({@code group.instance.id = caravan-<job>-<topic>}): a run started after one that was killed takes the
 * partitions over at once instead of waiting for the killed member's session to time out (45 s), and a second
 * process consuming the same job's topic is fenced.
 */
public final class KafkaSource implements Source {

    /** System property overriding {@link #QUIET_PERIOD}, in milliseconds. */
    public static final String QUIET_PROPERTY = "caravan.kafka.quiet-ms";
    /**
     * How long a topic must stay without new records before the open batch is written and the run ends: 2 seconds,
     * unless the system property {@value #QUIET_PROPERTY} gives milliseconds.
     */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(Long.getLong(QUIET_PROPERTY, 2000));
    /** How long the consumer may take to join its group and get the topic's partitions: 60 seconds. */
    public static final Duration ASSIGN_TIMEOUT = Duration.ofSeconds(60);

    private final JobMapping mapping;
    private final TableSpec table;

    /**
     * @param mapping the job; its source is of type kafka
     * @param table   the topic ({@code topic_name} is the table name)
     */
    public KafkaSource(JobMapping mapping, TableSpec table) {
        this.mapping = mapping;
        this.table = table;
    }

    @Override
    public BatchStream read(TableRun run) {
        KafkaSpec kafka = mapping.source().kafka();
        KafkaConsumer<String, String> consumer;
        try {
            Properties props = consumerProperties(kafka, table.batchSize());
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "caravan-" + mapping.name() + "-" + table.tableName());
            consumer = new KafkaConsumer<>(props);
        } catch (KafkaException e) {
            throw new SourceException(where(kafka) + ": cannot create the consumer: " + e.getMessage(), e);
        }
        OpenBatchStore store;
        try {
            store = mapping.redis() == null ? new OpenBatchStore.InMemory()
                    : new RedisOpenBatch(mapping.redis(), mapping.name(), table.tableName());
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        KafkaBatchStream stream = new KafkaBatchStream(run, consumer, store, where(kafka));
        run.register(stream::finish);
        return stream;
    }

    private String where(KafkaSpec kafka) {
        return "job " + mapping.name() + " topic " + table.tableName() + " (kafka " + kafka.servers() + ")";
    }

    /** @return the consumer's properties, built by camel-kafka's {@link KafkaConfiguration} */
    static Properties consumerProperties(KafkaSpec kafka, int batchSize) {
        KafkaConfiguration c = new KafkaConfiguration();
        c.setBrokers(kafka.servers());
        c.setGroupId(kafka.consumerGroupId());
        c.setAutoCommitEnable(false);
        c.setAutoOffsetReset("earliest");
        c.setMaxPollRecords(Math.max(1, Math.min(batchSize, 5000)));
        c.setKeyDeserializer(StringDeserializer.class.getName());
        c.setValueDeserializer(StringDeserializer.class.getName());
        if (!kafka.username().isEmpty()) {
            c.setSecurityProtocol("SASL_PLAINTEXT");
            c.setSaslMechanism("PLAIN");
            c.setSaslJaasConfig("org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + kafka.username() + "\" password=\"" + kafka.password().resolve() + "\";");
        }
        Properties p = c.createConsumerProperties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.servers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.consumerGroupId());
        return p;
    }
}
