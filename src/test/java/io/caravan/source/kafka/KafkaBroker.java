package io.caravan.source.kafka;

import io.github.embeddedkafka.EmbeddedKafka;
import io.github.embeddedkafka.EmbeddedKafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * One in-process Kafka broker (ZooKeeper mode, embedded-kafka 3.9.0, CAMEL-NOTES §12) for the tests of this JVM,
 * started on first use and stopped when the JVM exits.
 */
public final class KafkaBroker {

    private static KafkaBroker instance;

    private final String servers;

    private KafkaBroker(int port) {
        this.servers = "localhost:" + port;
    }

    /** @return the broker, started on first use */
    public static synchronized KafkaBroker get() {
        if (instance == null) {
            int kafkaPort = freePort();
            EmbeddedKafkaConfig cfg = EmbeddedKafkaConfig.apply(kafkaPort, freePort(),
                    scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
                    scala.collection.immutable.Map$.MODULE$.<String, String>empty(),
                    scala.collection.immutable.Map$.MODULE$.<String, String>empty());
            EmbeddedKafka.start(cfg);
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedKafka::stop));
            instance = new KafkaBroker(kafkaPort);
        }
        return instance;
    }

    /** @return {@code localhost:<port>} */
    public String servers() {
        return servers;
    }

    /** Creates a topic of {@code partitions} partitions. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code (key, value)} pairs to {@code topic} (keys may be null), to partition {@code partition}. */
    public void send(String topic, int partition, List<String[]> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String[] r : records) {
                producer.send(new ProducerRecord<>(topic, partition, r[0], r[1]));
            }
            producer.flush();
        }
    }

    /** @return partition to the offset the group committed on {@code topic}; empty when none */
    public Map<Integer, Long> committed(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> out = new java.util.TreeMap<>();
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    out.put(tp.partition(), o.offset());
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
