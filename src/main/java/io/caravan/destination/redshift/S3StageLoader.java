package io.caravan.destination.redshift;

import io.caravan.batch.RowData;
import io.caravan.batch.TableShape;
import io.caravan.destination.file.ObjectStore;
import io.caravan.destination.s3.S3Store;
import io.caravan.dialect.postgres.PgRows;
import io.caravan.dialect.redshift.RedshiftDialect;
import io.caravan.format.RowFormat;
import io.caravan.mapping.DestinationSpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Stages a batch in S3 for Redshift: writes the rows as one Parquet file, puts it in the destination's bucket
 * ({@code s3_bucket_name}) under {@code <name>.parquet}, and loads it into the staging table ({@link Copy}: Redshift's
 * {@code COPY ... FORMAT AS PARQUET}). {@link #cleanUp} deletes the objects of the batch once its transaction ended
 * (DMS seed: "No data will be stored in this bucket").
 */
public final class S3StageLoader implements StageLoader {

    /** Loads a staged object into a staging table. */
    @FunctionalInterface
    public interface Copy {
        /**
         * @param connection the destination's connection, in the batch's transaction
         * @param stage      the staging table, quoted
         * @param shape      the staged columns
         * @param store      the store holding the object
         * @param key        the object's key
         * @throws SQLException when the database refuses the load
         */
        void load(Connection connection, String stage, TableShape shape, ObjectStore store, String key)
                throws SQLException;
    }

    private static final RedshiftDialect SQL = RedshiftDialect.INSTANCE;

    private final ObjectStore store;
    private final RowFormat format;
    private final Copy copy;
    private final List<String> staged = new ArrayList<>();

    /**
     * @param store  where objects are staged; closed with the loader; never null
     * @param format the staged files' format; never null
     * @param copy   loads an object into a staging table; never null
     */
    public S3StageLoader(ObjectStore store, RowFormat format, Copy copy) {
        this.store = store;
        this.format = format;
        this.copy = copy;
    }

    /**
     * The loader of a Redshift destination: its bucket through {@link S3Store#open}, Parquet, and {@code COPY}
     * authorized by {@code iam_role}, else by {@code aws_access_key_id}/{@code aws_secret_access_key}, else by the
     * credentials the AWS SDK's default chain gives this process (with their session token when temporary).
     *
     * @param spec a redshift destination; its {@code s3} is set
     * @return the loader
     * @throws IllegalArgumentException when the destination has no {@code s3_bucket_name}
     */
    public static S3StageLoader forRedshift(DestinationSpec spec) {
        if (spec.s3() == null || spec.s3().bucket() == null) {
            throw new IllegalArgumentException("destination " + spec.name() + " (redshift) needs s3_bucket_name: each"
                    + " batch is staged there for COPY");
        }
        S3Store store = S3Store.open(spec.s3());
        String[] authorization = new String[1];
        RowFormat parquet = RowFormat.of(DestinationSpec.FileFormat.PARQUET);
        return new S3StageLoader(store, parquet, (c, stage, shape, st, key) -> {
            if (authorization[0] == null) {
                authorization[0] = authorization(spec);
            }
            try (Statement s = c.createStatement()) {
                s.execute(SQL.copyFromParquet(stage, st.uri(key), authorization[0], shape.columns()));
            }
        });
    }

    /** @return the COPY authorization clause of a destination (it holds secrets: never log it) */
    static String authorization(DestinationSpec spec) {
        if (spec.iamRole() != null && !spec.iamRole().isBlank()) {
            return SQL.iamRole(spec.iamRole());
        }
        DestinationSpec.S3Location s3 = spec.s3();
        if (s3.accessKeyId() != null && !s3.accessKeyId().isEmpty()) {
            return SQL.accessKeys(s3.accessKeyId().resolve(),
                    s3.secretAccessKey() == null ? "" : s3.secretAccessKey().resolve());
        }
        try {
            AwsCredentials c = DefaultCredentialsProvider.builder().build().resolveCredentials();
            return c instanceof AwsSessionCredentials t
                    ? SQL.temporaryKeys(t.accessKeyId(), t.secretAccessKey(), t.sessionToken())
                    : SQL.accessKeys(c.accessKeyId(), c.secretAccessKey());
        } catch (SdkException e) {
            throw new IllegalStateException("destination " + spec.name() + " (redshift): COPY needs iam_role, or"
                    + " aws_access_key_id and aws_secret_access_key, or AWS credentials in the environment: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void load(Connection connection, String stage, TableShape shape, RowData rows, String name)
            throws SQLException {
        String key = name + "." + format.extension();
        Path file = null;
        try {
            file = Files.createTempFile("caravan-stage", "." + format.extension());
            format.write(shape, PgRows.values(shape, rows), file);
            staged.add(key);
            store.put(key, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + store.uri(key) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
        copy.load(connection, stage, shape, store, key);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS's temp cleaning takes it
            }
        }
    }

    @Override
    public void cleanUp() {
        if (staged.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(staged);
        staged.clear();
        try {
            store.delete(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove staged " + store.uri(keys.get(0)) + " and "
                    + (keys.size() - 1) + " more: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            cleanUp();
        } finally {
            store.close();
        }
    }
}
