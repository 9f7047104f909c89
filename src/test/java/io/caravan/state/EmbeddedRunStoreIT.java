package io.caravan.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The run store contract on the embedded default: the H2 file database {@code runs} under the state directory. */
class EmbeddedRunStoreIT extends JdbcRunStoreContract {

    @TempDir
    Path dir;

    @Override
    RunStore open() {
        return JdbcRunStore.openEmbedded(dir.resolve(".caravan"));
    }

    @Override
    String url() {
        return "jdbc:h2:file:" + dir.resolve(".caravan").toAbsolutePath().resolve("runs") + ";AUTO_SERVER=TRUE";
    }

    @Override
    String user() {
        return "sa";
    }

    @Test
    void theEmbeddedStoreIsAFileUnderTheStateDirectory() {
        try (RunStore store = open()) {
            store.save(running("r", "shop", "orders", T0));
        }
        assertThat(dir.resolve(".caravan/runs.mv.db")).isRegularFile();
    }
}
