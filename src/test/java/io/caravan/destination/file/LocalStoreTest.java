package io.caravan.destination.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local folder object store. */
class LocalStoreTest {

    @TempDir
    Path dir;

    @Test
    void putGetListDelete() throws Exception {
        LocalStore store = new LocalStore(dir.resolve("lake"));
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        Path b = Files.writeString(dir.resolve("b"), "bravo!");
        store.put("t/year=2024/month=05/x.jsonl", a);
        store.put("t/_SUCCESS", b);
        store.put("t/year=2024/month=05/x.jsonl", b);
        store.put("u/y.jsonl", a);

        assertThat(store.list("t/")).containsExactly(new ObjectStore.StoredObject("t/_SUCCESS", 6),
                new ObjectStore.StoredObject("t/year=2024/month=05/x.jsonl", 6));
        assertThat(store.list("")).hasSize(3);
        assertThat(store.list("nothing/")).isEmpty();
        // no temporary files are left next to the objects
        assertThat(Files.list(dir.resolve("lake/t/year=2024/month=05")).toList()).hasSize(1);

        Path got = dir.resolve("got");
        assertThat(store.get("t/year=2024/month=05/x.jsonl", got)).isTrue();
        assertThat(Files.readString(got)).isEqualTo("bravo!");
        assertThat(store.get("t/missing", got)).isFalse();

        store.delete(List.of("t/year=2024/month=05/x.jsonl", "t/missing"));
        assertThat(dir.resolve("lake/t/year=2024")).doesNotExist();
        assertThat(dir.resolve("lake/t")).isDirectory();
        assertThat(store.uri("t/")).isEqualTo(dir.resolve("lake").toUri() + "t/");
    }

    @Test
    void keysCannotLeaveTheFolder() throws Exception {
        LocalStore store = new LocalStore(dir.resolve("lake"));
        Path a = Files.writeString(dir.resolve("a"), "alpha");
        assertThatThrownBy(() -> store.put("../escape", a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves the folder");
        assertThatThrownBy(() -> store.put("/abs", a)).isInstanceOf(IllegalArgumentException.class);
    }
}
