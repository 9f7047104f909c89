package io.caravan.mapping;

/**
 * The mapping's top-level {@code redis} (DMS seed, "Topics"): where a Kafka source keeps its open batch, so that a
 * restart resumes it.
 *
 * @param url      {@code redis://host[:port][/db]} or {@code host[:port]}; never null
 * @param password password; {@link Secret#NONE} when absent
 */
public record RedisSpec(String url, Secret password) {
}
