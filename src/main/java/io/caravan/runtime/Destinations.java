package io.caravan.runtime;

import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.destination.file.ObjectDestination;
import io.caravan.destination.jdbc.JdbcDestination;
import io.caravan.destination.pgsql.PgDestination;
import io.caravan.destination.s3.S3Destination;
import io.caravan.destination.redshift.RedshiftDestination;
import io.caravan.mapping.DestinationSpec;

/** Opens the writer of one run for one destination, by its {@code destination_type}. */
final class Destinations {

    private Destinations() {
    }

    /**
     * @param run  a run whose source has begun; never null
     * @param spec one of the run's mapping's destinations; never null
     * @return a new writer; never null
     * @throws IllegalArgumentException for a type this build does not write (the loader refuses those first)
     */
    static Destination open(TableRun run, DestinationSpec spec) {
        return switch (spec.destinationType()) {
            case "pgsql" -> new PgDestination(run, spec);
            case "s3" -> S3Destination.open(run, spec);
            case "file" -> ObjectDestination.file(run, spec);
            case "redshift" -> new RedshiftDestination(run, spec);
            case "mysql", "mariadb", "sqlite", "h2", "oracle", "sqlserver" -> new JdbcDestination(run, spec);
            default -> throw new IllegalArgumentException("destination_type '" + spec.destinationType()
                    + "' is not available in this build; allowed: " + String.join(", ", DestinationSpec.TYPES));
        };
    }
}
