package io.caravan.source.kafka;

/**
 * One Kafka record as the source keeps it while its batch is open (in memory or in Redis).
 *
 * @param partition partition of the topic, from 0
 * @param offset    offset in the partition
 * @param key       the record key as UTF-8 text; null when the record has none
 * @param value     the record value as UTF-8 text (JSON); null for a tombstone
 */
record Message(int partition, long offset, String key, String value) {

    /** @return {@code <topic>-<partition>-<offset>}, the record's id in Kafka */
    String id(String topic) {
        return topic + "-" + partition + "-" + offset;
    }
}
