package io.caravan.serve;

import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.state.Cursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The texts of {@link SlackMessages}: escaping, a last attempt, long errors, cursors and sizes. */
class SlackMessagesTest {

    @TempDir
    Path dir;

    private final SlackMessages messages = new SlackMessages(ZoneId.of("UTC"), null);

    @Test
    void aLastAttemptSaysSoAndMarkupInTheErrorIsEscaped() throws Exception {
        TableRun run = run();
        run.fail(new IllegalArgumentException("column <b> & `x` missing"));

        assertThat(messages.finished(run)).isEqualTo(String.join("\n",
                ":x: *Run failed*: job `shop`, table `orders`, attempt 1",
                "Destinations: `warehouse`",
                "Error: `java.lang.IllegalArgumentException`: column &lt;b&gt; &amp; 'x' missing",
                "Next attempt: no further attempt"));
    }

    @Test
    void aLongErrorIsCutAndACauseAlreadyInTheMessageIsNotRepeated() throws Exception {
        TableRun run = run();
        run.fail(new IllegalStateException("x".repeat(700) + " refused", new RuntimeException("refused")));

        String text = messages.finished(run);

        assertThat(text).contains("`: " + "x".repeat(SlackMessages.MAX_ERROR_CHARS) + "…\n")
                .doesNotContain("Caused by");
    }

    @Test
    void aRunStillGoingHasNoMessageAndACutOffWithoutTimesSaysNextSchedule() throws Exception {
        TableRun run = run();
        assertThat(messages.finished(run)).isNull();

        run.requestStop(TableRun.Status.CUT_OFF);
        run.endStopped();

        assertThat(messages.finished(run)).isEqualTo(String.join("\n",
                ":double_vertical_bar: *Run cut off*: job `shop`, table `orders` stopped by the cut-off after 0 rows "
                        + "read",
                "Cursor: none",
                "Resumes: at its next schedule"));
        assertThat(messages.cutOff("shop", null)).isEqualTo(
                ":double_vertical_bar: *Cut-off*: job `shop` stopped by the cut-off, resumes at its next schedule");
    }

    @Test
    void cursorsAndSizesReadShort() {
        assertThat(SlackMessages.cursor(null)).isEqualTo("none");
        assertThat(SlackMessages.cursor(Cursor.initial(null, "2026-01-01 00:00:00+00"))).isEqualTo("initial load");
        assertThat(SlackMessages.cursor(Cursor.incremental(null, "7"))).isEqualTo("key `7`");
        assertThat(SlackMessages.cursor(Cursor.incremental("2026-01-01", null))).isEqualTo("bookmark `2026-01-01`");
    }

    private TableRun run() throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"), """
                source: {source_type: pgsql, url: db, db_name: shop}
                destination: {warehouse: {destination_type: pgsql, url: dw, db_name: dw}}
                tables:
                  - {table_name: orders, cron: self-managed, mode: dumping}
                """);
        JobMapping mapping = MappingLoader.load(file);
        return new TableRun(mapping, mapping.tables().get(0), null);
    }
}
