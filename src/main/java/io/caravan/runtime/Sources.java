package io.caravan.runtime;

import io.caravan.batch.TableRun;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.SourceSpec;
import io.caravan.mapping.TableSpec;
import io.caravan.source.Source;
import io.caravan.source.api.ApiSource;
import io.caravan.source.jdbc.JdbcSource;
import io.caravan.source.kafka.KafkaSource;
import io.caravan.source.mongo.MongoSource;
import io.caravan.source.pgsql.PgSource;

/** Opens the reader of one run, by the mapping's {@code source_type}. */
final class Sources {

    private Sources() {
    }

    /**
     * @param run a run, not begun; never null
     * @return a new reader of the run's table (collection, API...); never null
     * @throws IllegalArgumentException for a type this build does not read (the loader refuses those first)
     */
    static Source open(TableRun run) {
        JobMapping m = run.mapping();
        TableSpec t = run.table();
        return switch (m.source().sourceType()) {
            case "pgsql" -> new PgSource(m.source(), t, recordsWanted(m, t));
            case "api" -> new ApiSource(t, null);
            case "kafka" -> new KafkaSource(m, t);
            case "mongo" -> new MongoSource(m.source(), t);
            case "mysql", "mariadb", "oracle", "sqlserver", "sqlite", "h2", "jdbc" ->
                    new JdbcSource(m.source(), t, JdbcSource.dialect(m.source().sourceType()));
            default -> throw new IllegalArgumentException("source_type '" + m.source().sourceType()
                    + "' is not available in this build; allowed: " + String.join(", ", SourceSpec.TYPES));
        };
    }

    /** @return true when a {@code process_dict} or {@code get_table_name} step needs decoded records */
    static boolean recordsWanted(JobMapping m, TableSpec t) {
        return t.processDict() != null || t.getTableName() != null || m.processDict() != null
                || m.getTableName() != null;
    }
}
