package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: {@code caravan run mappings/quickstart.yaml} in a fresh working directory starts its
 * own embedded PostgreSQL, creates the source from the tzdata script and moves every table.
 */
class QuickstartIT {

    @TempDir
    Path work;

    private String run() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli",
                "run", "mappings/quickstart.yaml")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void quickstartMovesEveryTableOnAFreshMachine() throws Exception {
        copy(Path.of("mappings"), work.resolve("mappings"));

        String first = run();
        assertThat(first).containsPattern("quickstart\\s+countries\\s+warehouse\\s+succeeded\\s+249\\s+249\\s+0")
                .containsPattern("quickstart\\s+zones\\s+warehouse\\s+succeeded\\s+312\\s+312\\s+0")
                .containsPattern("quickstart\\s+zone_countries\\s+warehouse\\s+succeeded\\s+423\\s+423\\s+0");

        String second = run();
        assertThat(second).containsPattern("quickstart\\s+countries\\s+warehouse\\s+succeeded\\s+0\\s+0\\s+0")
                .containsPattern("quickstart\\s+zones\\s+warehouse\\s+succeeded\\s+0\\s+0\\s+0")
                .containsPattern("quickstart\\s+zone_countries\\s+warehouse\\s+succeeded\\s+423\\s+423\\s+0");
        assertThat(work.resolve(".caravan/generated/quickstart.yaml")).exists();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
