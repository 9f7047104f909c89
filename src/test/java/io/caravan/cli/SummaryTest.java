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

/** The end-of-run summary and the progress line. */
class SummaryTest {

    @TempDir
    Path dir;

    private JobMapping mapping() throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                source: {source_type: pgsql, url: db, db_name: shop}
                destination: {warehouse: {destination_type: pgsql, url: dw, db_name: dw}}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                  - {table_name: lines, cron: self-managed, mode: dumping}
                """);
        return MappingLoader.load(file);
    }

    @Test
    void onePerTableAndDestinationThenTheErrors() throws Exception {
        JobMapping m = mapping();
        TableRun ok = new TableRun(m, m.tables().get(0), null);
        ok.addRead(1_234_567, 300_000_000);
        ok.stats("warehouse").addWrite(1_234_567, 300_000_000, 2_000_000_000L);
        ok.succeed();
        TableRun failed = new TableRun(m, m.tables().get(1), null);
        failed.fail(new IllegalStateException("job shop, table lines, destination warehouse: disk full"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Summary(List.of(ok, failed), List.of("shop.yaml table gone: no table")).print(
                new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines.get(1)).matches("job\\s+table\\s+destination\\s+status\\s+read\\s+written\\s+deleted\\s+bytes"
                + "\\s+seconds\\s+rows/s");
        assertThat(lines.get(2)).matches("shop\\s+orders\\s+warehouse\\s+succeeded\\s+1,234,567\\s+1,234,567\\s+0"
                + "\\s+286\\.1 MB\\s+[\\d.]+\\s+[\\d,]+");
        assertThat(lines.get(3)).matches("shop\\s+lines\\s+-\\s+failed\\s+0\\s+0\\s+0\\s+0 B\\s+[\\d.]+\\s+0");
        assertThat(lines.subList(4, 6)).containsExactly(
                "FAILED shop.lines: job shop, table lines, destination warehouse: disk full",
                "FAILED shop.yaml table gone: no table");
    }

    @Test
    void progressGivesRowsRatePercentageAndEta() throws Exception {
        JobMapping m = mapping();
        TableRun run = new TableRun(m, m.tables().get(0), null);
        run.estimate(1_000_000);
        run.addRead(250_000, 1);
        assertThat(Progress.line(run)).matches("shop\\.orders: 250,000 rows \\(25%\\), [\\d,]+ rows/s, ETA \\d+:\\d\\d");
        assertThat(io.caravan.batch.Sizes.bytes(1023)).isEqualTo("1023 B");
        assertThat(io.caravan.batch.Sizes.bytes(1536)).isEqualTo("1.5 kB");
        assertThat(io.caravan.batch.Sizes.bytes(5L << 40)).isEqualTo("5.0 TB");
    }
}
