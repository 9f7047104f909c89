package io.caravan.destination.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A flat store of objects under keys, as S3 has them: keys are relative paths with {@code /} between folder names
 * ({@code orders/year=2024/month=05/part-1a2b.parquet}), never starting with {@code /}. Folders are only key
 * prefixes. Every method is durable once it returns: a put that returned survives a crash of this process.
 * Implementations are used by one thread at a time.
 */
public interface ObjectStore extends AutoCloseable {

    /** An object as listed. @param key its key @param size its length in bytes */
    record StoredObject(String key, long size) {
    }

    /**
     * Stores the content of {@code file} under {@code key}, replacing an object of that key as one step: readers
     * see the old or the new content, never a part.
     *
     * @param key  the key; never null
     * @param file a local file; never null; left in place
     * @throws IOException when the store fails
     */
    void put(String key, Path file) throws IOException;

    /**
     * @param key  the key; never null
     * @param file where to copy the object; replaced when it exists
     * @return false when there is no object under {@code key} (then {@code file} is left untouched)
     * @throws IOException when the store fails
     */
    boolean get(String key, Path file) throws IOException;

    /**
     * @param prefix a key prefix, usually a folder ending in {@code /}; empty for every object
     * @return every object whose key starts with {@code prefix}, at any depth, sorted by key
     * @throws IOException when the store fails
     */
    List<StoredObject> list(String prefix) throws IOException;

    /**
     * Deletes objects; keys without an object are ignored.
     *
     * @param keys the keys; never null
     * @throws IOException when the store fails
     */
    void delete(Collection<String> keys) throws IOException;

    /**
     * @param key a key, or a folder ending in {@code /}; never null
     * @return its URI as query engines name it, e.g. {@code s3://bucket/orders/} or {@code file:///data/orders/}
     */
    String uri(String key);

    /** Releases the store's client. */
    @Override
    void close();
}
