package io.caravan.source.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.mapping.RedisSpec;
import io.caravan.source.SourceException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The open batch of one topic of one job in a Redis list {@code caravan:kafka:<job>:<topic>}, one JSON entry per
 * record ({@code {"p": partition, "o": offset, "k": key, "v": value}}), oldest first. One process consumes a job's
 * topic at a time (the destinations' run locks see to that), so one list per topic serves every partition.
 */
final class RedisOpenBatch implements OpenBatchStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_PORT = 6379;

    private final Jedis jedis;
    private final String key;
    private final String where;

    /**
     * @param spec  the mapping's {@code redis}
     * @param job   the job's name
     * @param topic the topic
     * @throws SourceException naming the Redis URL when it cannot be reached or refuses the password
     */
    RedisOpenBatch(RedisSpec spec, String job, String topic) {
        this.key = "caravan:kafka:" + job + ":" + topic;
        this.where = "job " + job + " topic " + topic + ": redis " + spec.url();
        String password = spec.password().resolve();
        try {
            String url = spec.url();
            if (url.startsWith("redis://") || url.startsWith("rediss://")) {
                URI uri = URI.create(url);
                this.jedis = new Jedis(uri, DefaultJedisClientConfig.builder()
                        .password(password == null || password.isEmpty() ? null : password).build());
            } else {
                int colon = url.lastIndexOf(':');
                HostAndPort hp = colon < 0 ? new HostAndPort(url, DEFAULT_PORT)
                        : new HostAndPort(url.substring(0, colon), Integer.parseInt(url.substring(colon + 1)));
                this.jedis = new Jedis(hp, DefaultJedisClientConfig.builder()
                        .password(password == null || password.isEmpty() ? null : password).build());
            }
            jedis.ping();
        } catch (JedisException | IllegalArgumentException e) {
            throw new SourceException(where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Message> restore() {
        try {
            List<Message> out = new ArrayList<>();
            for (String entry : jedis.lrange(key, 0, -1)) {
                JsonNode n = JSON.readTree(entry);
                out.add(new Message(n.get("p").intValue(), n.get("o").longValue(), text(n.get("k")),
                        text(n.get("v"))));
            }
            return out;
        } catch (JedisException | JsonProcessingException e) {
            throw new SourceException(where + ": cannot read the open batch " + key + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    @Override
    public void append(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        String[] entries = new String[messages.size()];
        for (int i = 0; i < entries.length; i++) {
            Message m = messages.get(i);
            ObjectNode n = JSON.createObjectNode();
            n.put("p", m.partition());
            n.put("o", m.offset());
            n.put("k", m.key());
            n.put("v", m.value());
            entries[i] = n.toString();
        }
        try {
            jedis.rpush(key, entries);
        } catch (JedisException e) {
            throw new SourceException(where + ": cannot append to the open batch " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void trim(int entries) {
        if (entries <= 0) {
            return;
        }
        try {
            jedis.ltrim(key, entries, -1);
        } catch (JedisException e) {
            throw new SourceException(where + ": cannot trim the open batch " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void close() {
        jedis.close();
    }
}
