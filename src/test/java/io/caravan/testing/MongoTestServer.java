package io.caravan.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.util.List;

/**
 * mongo-java-server as the tests use it: an in-memory backend that says it is MongoDB 5.0 (wire version 13), the
 * oldest the 5.x driver accepts (CAMEL-NOTES §13).
 */
public final class MongoTestServer {

    /** MongoDB 5.0.0, wire version 13. */
    public static final MongoVersion V5_0 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    };

    private MongoTestServer() {
    }

    /** @return a new in-memory server, not bound yet ({@code bind()} gives its address) */
    public static MongoServer create() {
        return new MongoServer(new MemoryBackend().version(V5_0));
    }
}
