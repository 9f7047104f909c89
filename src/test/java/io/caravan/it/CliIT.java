package io.caravan.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line: an invalid mapping is reported as {@code file:line:col key.path: message} lines and exits 2
 * before anything runs or is written; help exits 0; an unknown command exits 2 (DESIGN §2).
 */
class CliIT {

    @TempDir
    Path dir;

    /** Writes a mapping whose table has a misspelt {@code bookmrk} and an unknown mode. */
    private Path broken(PipelineHarness h) throws IOException {
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders VALUES (1, now())");
        Path file = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmrk: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
        return file;
    }

    /** @return the 1-based line of the mapping on which {@code text} starts, and its column */
    private static String position(Path file, String text) throws IOException {
        var lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            int col = lines.get(i).indexOf(text);
            if (col >= 0) {
                return (i + 1) + ":" + (col + 1);
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @Test
    void validateReportsEveryProblemAsFileLineColumnKeyPath() throws IOException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path file = broken(h);
        PipelineHarness.Result r = h.caravan("validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> !l.isBlank()).toList()).containsExactly(
                file + ":" + position(file, "table_name: orders") + " tables[0].bookmark: required when mode is syncing;"
                        + " add bookmark: <column set to now() on every change, e.g. updated_at>",
                file + ":" + position(file, "bookmrk") + " tables[0].bookmrk: unknown key; did you mean 'bookmark'?");
        assertThat(r.out()).doesNotContain("ok ");
    }

    @Test
    void validateAcceptsAGoodMapping() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path file = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n");
        PipelineHarness.Result r = h.caravan("validate", file.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().toList())
                .containsExactly("ok " + file + ": job shop, 1 table(s), 1 destination(s)");
    }

    @Test
    void runOnAnInvalidMappingExitsTwoAndWritesNothing() throws IOException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path file = broken(h);
        PipelineHarness.Result r = h.caravan("run", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines().toList()).contains(
                file + ":" + position(file, "bookmrk") + " tables[0].bookmrk: unknown key; did you mean 'bookmark'?");
        assertThat(dir.resolve(".caravan").resolve("generated")).doesNotExist();
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM pg_namespace WHERE nspname = 'dw'")).isZero();
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'")).isZero();
    }

    @Test
    void helpExitsZero() {
        PipelineHarness h = new PipelineHarness(dir, 0);
        PipelineHarness.Result top = h.caravan("--help");
        assertThat(top.exitCode()).isZero();
        assertThat(top.out()).contains("Usage: caravan").contains("validate").contains("generate").contains("run");
        PipelineHarness.Result run = h.caravan("run", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: caravan run").contains("FILE");
    }

    @Test
    void unknownCommandExitsTwo() {
        PipelineHarness h = new PipelineHarness(dir, 0);
        PipelineHarness.Result r = h.caravan("migrate", "x.yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("migrate");
        assertThat(h.caravan().exitCode()).isEqualTo(2);
        assertThat(h.caravan("run").exitCode()).as("run without files").isEqualTo(2);
    }

    @Test
    void aColumnMissingAtTheSourceIsNamedByFileLineAndKey() throws IOException {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL)");
        Path file = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
                + "    bookmark: modified_at\n    primary_key: id\n    primary_key_datatype: int\n");
        PipelineHarness.Result r = h.caravan(PipelineHarness.runArgs(file));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED shop.orders: job shop, table orders: " + file + ":"
                + position(file, "modified_at") + " tables[0].bookmark: column not found in orders (got 'modified_at');"
                + " name one of its columns: id, updated_at");
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = 'dw'")).isZero();
    }

    @Test
    void aMappingAndItsOwnRouteFileTogetherAreRefused() {
        PipelineHarness h = new PipelineHarness(dir, 1);
        Path mapping = h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: dumping\n");
        Path routes = dir.resolve("routes");
        assertThat(h.caravan("generate", mapping.toString(), "--out", routes.toString()).exitCode()).isZero();
        Path routeFile = routes.resolve("shop.yaml");
        PipelineHarness.Result r = h.caravan("run", mapping.toString(), routeFile.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(routeFile + ":1:1 runs the routes of " + mapping
                + ", which is given too; give either the mapping or its route file");
    }
}
