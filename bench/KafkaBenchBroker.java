import io.caravan.source.kafka.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The broker of bench/kafka-source.sh: starts the tests' in-process Kafka broker (embedded-kafka 3.9.0, ZooKeeper
 * mode, {@code io.caravan.source.kafka.KafkaBroker} from the test classes), creates one topic of one partition,
 * produces N JSON messages to it (keys null, about 250 bytes each) and prints
 * {@code ready servers=<host:port> produce_s=<seconds>} on stdout; then it serves until its stdin closes or the
 * process is killed (the shutdown hook stops the broker).
 *
 * <p>Run from the repository root with the test class path:
 * {@code java -cp <test classpath> bench/KafkaBenchBroker.java TOPIC N}.
 *
 * <p>Message {@code i} (1..N): {@code {"id": i, "kind": one of five words, "amount": a number with two decimals,
 * "created_at": an ISO-8601 UTC instant (2024-01-01 plus 10 s per id), "payload": a 160-character text}}. The same
 * N messages feed both consumers.
 */
public final class KafkaBenchBroker {

    private static final String[] KINDS = {"click", "view", "purchase", "signup", "refund"};

    private KafkaBenchBroker() {
    }

    /**
     * @param args TOPIC N
     * @throws IOException when stdin fails
     */
    public static void main(String[] args) throws IOException {
        String topic = args[0];
        long n = Long.parseLong(args[1]);
        KafkaBroker broker = KafkaBroker.get();
        broker.createTopic(topic, 1);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.servers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        long t0 = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (long i = 1; i <= n; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, message(i)));
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ready servers=%s produce_s=%.3f%n", broker.servers(), secs);
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until stdin closes
        }
        System.exit(0);
    }

    private static String message(long i) {
        long cents = (i * 7919) % 10_000_000;
        String created = java.time.Instant.ofEpochSecond(1_704_067_200L + i * 10).toString();
        String hex = Long.toHexString(i * 0x9E3779B97F4A7C15L);
        StringBuilder payload = new StringBuilder(170);
        while (payload.length() < 160) {
            payload.append("event ").append(i).append(' ').append(hex).append(' ');
        }
        payload.setLength(160);
        return "{\"id\": " + i + ", \"kind\": \"" + KINDS[(int) (i % 5)] + "\", \"amount\": " + (cents / 100) + "."
                + String.format(Locale.ROOT, "%02d", cents % 100) + ", \"created_at\": \"" + created
                + "\", \"payload\": \"" + payload + "\"}";
    }
}
