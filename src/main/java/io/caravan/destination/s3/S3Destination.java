package io.caravan.destination.s3;

import io.caravan.batch.TableRun;
import io.caravan.destination.DestinationException;
import io.caravan.destination.file.ObjectDestination;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;

/**
 * Opens {@code s3} destinations: an {@link ObjectDestination} writing Parquet (the format Athena reads best; the
 * destination's {@code format} is not used) into the bucket of {@link DestinationSpec#s3()} through an
 * {@link S3Store}. Layout, modes and Athena DDL: see {@link ObjectDestination}.
 */
public final class S3Destination {

    private S3Destination() {
    }

    /**
     * @param run  the run; never null
     * @param spec a destination of type s3 with its bucket; never null
     * @return the destination; its close() closes the S3 client
     * @throws DestinationException naming job, table, destination and bucket when the client cannot be built (no
     *                              region found, a malformed endpoint)
     */
    public static ObjectDestination open(TableRun run, DestinationSpec spec) {
        try {
            return new ObjectDestination(run, spec, S3Store.open(spec.s3()),
                    RowFormat.of(DestinationSpec.FileFormat.PARQUET));
        } catch (RuntimeException e) {
            throw new DestinationException("job " + run.job() + ", table " + run.table().tableName()
                    + ", destination " + spec.name() + ": cannot reach bucket "
                    + (spec.s3() == null ? "(none: s3_bucket_name is missing)" : spec.s3().bucket()) + ": "
                    + e.getMessage(), e);
        }
    }
}
