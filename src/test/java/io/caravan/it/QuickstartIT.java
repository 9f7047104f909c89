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
        return run("mappings/quickstart.yaml");
    }

    private String run(String mapping) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.caravan.cli.CaravanCli",
                "run", mapping)
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

    /** The README's lake quickstart: the same source to Parquet files laid out as on S3, read back by DuckDB. */
    @Test
    void lakeQuickstartWritesParquetFilesThatDuckDbReads() throws Exception {
        copy(Path.of("mappings"), work.resolve("mappings"));

        String first = run("mappings/quickstart-lake.yaml");
        assertThat(first).containsPattern("quickstart-lake\\s+countries\\s+lake\\s+succeeded\\s+249\\s+249\\s+0")
                .containsPattern("quickstart-lake\\s+zones\\s+lake\\s+succeeded\\s+312\\s+312\\s+0")
                .contains("CREATE EXTERNAL TABLE IF NOT EXISTS `countries`");
        String second = run("mappings/quickstart-lake.yaml");
        assertThat(second).containsPattern("quickstart-lake\\s+countries\\s+lake\\s+succeeded\\s+0\\s+0\\s+0")
                .containsPattern("quickstart-lake\\s+zone_countries\\s+lake\\s+succeeded\\s+423\\s+423\\s+0");

        Path lake = work.resolve(".caravan/lake");
        assertThat(lake.resolve("countries/_athena.sql")).exists();
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement st = duck.createStatement()) {
            assertThat(one(st, "SELECT count(*) || '/' || count(DISTINCT code) FROM read_parquet('" + lake
                    + "/countries/year=*/month=*/*.parquet', hive_partitioning = true)")).isEqualTo("249/249");
            assertThat(one(st, "SELECT count(DISTINCT zone) FROM read_parquet('" + lake + "/zones/*.parquet')"))
                    .isEqualTo("312");
            assertThat(one(st, "SELECT count(DISTINCT migration_snapshot_date) || '/' || count(*) FROM read_parquet('"
                    + lake + "/zone_countries/*/*.parquet', hive_partitioning = true)")).isEqualTo("2/846");
        }
        try (Stream<Path> snapshots = Files.list(lake.resolve("zone_countries"))) {
            assertThat(snapshots.filter(Files::isDirectory)).hasSize(2)
                    .allSatisfy(d -> assertThat(d.resolve("_SUCCESS")).exists());
        }
    }

    private static String one(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
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
