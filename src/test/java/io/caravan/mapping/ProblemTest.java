package io.caravan.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private static final Location AT = new Location("mappings/shop.yaml", 12, 5);

    @Test
    void locationIsFileLineColumn() {
        assertThat(AT).hasToString("mappings/shop.yaml:12:5");
    }

    @Test
    void formatLeavesOutWhatIsNull() {
        assertThat(new Problem(AT, "tables[0].mode", "mirror", "unknown mode", "allowed: dumping, logging").format())
                .isEqualTo("mappings/shop.yaml:12:5 tables[0].mode: unknown mode (got 'mirror'); "
                        + "allowed: dumping, logging");
        assertThat(new Problem(AT, "tables[0].bookmrk", null, "unknown key", "did you mean 'bookmark'?").format())
                .isEqualTo("mappings/shop.yaml:12:5 tables[0].bookmrk: unknown key; did you mean 'bookmark'?");
        assertThat(new Problem(AT, "source.url", "x", "not a PostgreSQL address", null).format())
                .isEqualTo("mappings/shop.yaml:12:5 source.url: not a PostgreSQL address (got 'x')");
        assertThat(new Problem(AT, "", null, "the file is empty", null).format())
                .isEqualTo("mappings/shop.yaml:12:5 the file is empty");
    }

    @Test
    void exceptionMessageIsOneProblemPerLine() {
        Problem first = new Problem(AT, "a", null, "first", null);
        Problem second = new Problem(new Location("b.yaml", 1, 1), "b", "v", "second", "fix it");

        MappingException e = new MappingException(List.of(first, second));

        assertThat(e.getMessage())
                .isEqualTo("mappings/shop.yaml:12:5 a: first\nb.yaml:1:1 b: second (got 'v'); fix it");
        assertThat(e.problems()).containsExactly(first, second);
        assertThatThrownBy(() -> new MappingException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestKeyWithinThreeEdits() {
        List<String> keys = List.of("bookmark", "batch_size", "primary_key");
        assertThat(Suggestions.nearest("bookmrk", keys)).isEqualTo("bookmark");
        assertThat(Suggestions.nearest("Batch-Size", keys)).isEqualTo("batch_size");
        assertThat(Suggestions.nearest("colour", keys)).isNull();
    }
}
