package io.caravan.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/caravan} on the packaged jar ({@code target/caravan.jar}, which the {@code package} phase builds before
 * the integration tests run): the first {@code run} writes the class-data archive, later commands map it, and the
 * exit codes are java's.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin", "caravan").toAbsolutePath();
    private static final Path JAR = Path.of("target", "caravan.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void jarBuilt() {
        // `mvn verify` packages the jar before this test; an IDE run of the test class alone may not have
        assumeTrue(Files.isRegularFile(JAR), "target/caravan.jar is built by mvn package");
    }

    private record Ran(int exitCode, String output) {
    }

    private Ran launch(Path cds, String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "launch", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(log.toString()));
        Map<String, String> env = pb.environment();
        env.put("CARAVAN_JAR", JAR.toString());
        env.put("CARAVAN_CDS_DIR", cds.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CARAVAN_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bin/caravan ended within 120 s").isTrue();
        return new Ran(p.exitValue(), Files.readString(log));
    }

    private static List<Path> archives(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.toList();
        }
    }

    @Test
    void firstRunWritesTheArchiveAndLaterRunsMapIt() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text)",
                "INSERT INTO orders SELECT g, 'new' FROM generate_series(1, 500) g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: logging\n"
                + "    primary_key: id\n    primary_key_datatype: int\n");
        Path cds = dir.resolve("cds");

        Ran version = launch(cds, "", "--version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(archives(cds)).as("only a run trains the archive").isEmpty();

        Ran first = launch(cds, "", "run", "shop.yaml");
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).containsPattern("orders\\s+warehouse\\s+succeeded\\s+500");
        List<Path> written = archives(cds);
        assertThat(written).hasSize(1);
        assertThat(written.get(0).getFileName().toString()).matches("caravan-\\d+\\.jsa");

        h.source("INSERT INTO orders SELECT g, 'new' FROM generate_series(501, 600) g");
        // -Xshare:on makes the JVM fail instead of going on without the archive when it cannot map it
        Ran second = launch(cds, "-Xshare:on", "run", "shop.yaml");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).containsPattern("orders\\s+warehouse\\s+succeeded\\s+100");
        assertThat(archives(cds)).isEqualTo(written);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(600);
    }

    @Test
    void exitCodesAreJavasAndAFailedRunWritesNoArchive() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "source:\n  source_type: pgsql\ntables: nope\n");
        Path cds = dir.resolve("cds");

        Ran broken = launch(cds, "", "run", "broken.yaml");

        assertThat(broken.exitCode()).as(broken.output()).isEqualTo(2);
        assertThat(broken.output()).contains("broken.yaml:");
        assertThat(archives(cds)).as("no archive from a run that failed, nor a partial one").isEmpty();
    }
}
