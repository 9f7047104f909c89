package io.caravan.destination.jdbc;

import io.caravan.batch.Batch;
import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;
import io.caravan.camel.BookmarkStep;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.pgsql.PgSource;
import io.caravan.state.JdbcCursorStore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one table of a job from the test PostgreSQL (a {@link PipelineHarness}'s source database) into a
 * {@link JdbcDestination}, as the route does: the source's batches, each written by the destination, then the
 * bookmark step committing the cursor. The cursor store is an embedded one under the harness's directory.
 */
final class JdbcRuns {

    private final PipelineHarness harness;
    private final DestinationSpec spec;
    private final JdbcDialect dialect;
    private final Path state;

    JdbcRuns(PipelineHarness harness, DestinationSpec spec, JdbcDialect dialect) {
        this.harness = harness;
        this.spec = spec;
        this.dialect = dialect;
        this.state = harness.dir().resolve(".state");
    }

    /**
     * Runs the table of the mapping {@code <job>.yaml} (written by the harness with a pgsql destination; swapped for
     * {@link #spec}).
     *
     * @param failAfter stop after writing this many batches, as a crash would (no last batch); 0 to run to the end
     * @return the destination's counters
     */
    DestinationStats run(Path mappingFile, int failAfter) {
        return run(mappingFile, failAfter, state);
    }

    /** As {@link #run(Path, int)} with a cursor store of its own (a fresh one replays every row). */
    DestinationStats run(Path mappingFile, int failAfter, Path stateDir) {
        JobMapping loaded = MappingLoader.load(mappingFile);
        JobMapping m = new JobMapping(loaded.name(), loaded.file(), loaded.source(), Map.of(spec.name(), spec),
                loaded.tables(), loaded.processDict(), loaded.getTableName());
        TableSpec t = m.tables().get(0);
        try (JdbcCursorStore store = JdbcCursorStore.openEmbedded(stateDir);
             TableRun run = new TableRun(m, t, store)) {
            PgSource source = new PgSource(m.source(), t, false);
            BookmarkStep bookmarks = new BookmarkStep();
            int written = 0;
            try (BatchStream batches = source.read(run)) {
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    run.writer(spec.name(), d -> new JdbcDestination(run, spec, dialect)).write(b);
                    bookmarks.commit(b);
                    if (failAfter > 0 && ++written == failAfter) {
                        break;
                    }
                }
            }
            return run.stats(spec.name());
        }
    }
}
