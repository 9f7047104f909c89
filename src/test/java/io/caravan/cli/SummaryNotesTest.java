package io.caravan.cli;

import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Destinations' notes (an s3 destination's Athena DDL) follow the summary table. */
class SummaryNotesTest {

    @TempDir
    Path dir;

    @Test
    void notesArePrintedAfterTheTableOncePerDestination() throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                source: {source_type: pgsql, url: db, db_name: shop}
                destination: {lake: {destination_type: s3, s3_bucket_name: lake}}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                """);
        JobMapping m = MappingLoader.load(file);
        TableRun run = new TableRun(m, m.tables().get(0), null);
        run.stats("lake").addWrite(10, 100, 1_000_000L);
        run.stats("lake").note("CREATE EXTERNAL TABLE `orders` (\n  `id` bigint\n)");
        run.stats("lake").note("CREATE EXTERNAL TABLE `orders` (\n  `id` bigint\n)");
        run.succeed();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Summary(List.of(run), List.of()).print(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines.get(2)).startsWith("shop  orders  lake");
        assertThat(lines.subList(3, lines.size())).containsExactly("", "-- shop.orders -> lake:",
                "CREATE EXTERNAL TABLE `orders` (", "  `id` bigint", ")");
    }
}
