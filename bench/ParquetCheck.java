import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * DuckDB side of {@code bench/parquet-pipeline.sh}, run as a single-file program
 * ({@code java -cp <test classpath> bench/ParquetCheck.java ...}) through DuckDB's JDBC driver, the test dependency
 * {@code bench/parquet-write.sh} also uses. Every command prints one line of {@code key=value} pairs on stdout.
 *
 * <ul>
 *   <li>{@code copy CSV OUT}: loads the {@code events} CSV that {@code psql \copy ... (FORMAT csv, HEADER)} wrote
 *       into an in-memory DuckDB table (untimed; uid and payload as VARCHAR, the types Caravan's Parquet gives them),
 *       then times DuckDB's own {@code COPY events TO OUT (FORMAT parquet)}. Prints {@code seconds} (wall, the COPY
 *       only), {@code cpu} (CPU seconds of this process during the COPY: DuckDB's threads), {@code bytes} of OUT,
 *       then the {@link #stats} of OUT read back.</li>
 *   <li>{@code files DIR}: the {@link #stats} of every {@code *.parquet} file under DIR.</li>
 *   <li>{@code s3 ENDPOINT BUCKET PREFIX DIR}: lists the bucket's keys under PREFIX on an S3-compatible server
 *       (path-style, any credentials: S3Mock checks none), downloads the {@code .parquet} objects into DIR (emptied
 *       first) and prints {@code objects}, {@code bytes} and their {@link #stats}.</li>
 * </ul>
 * Exit status 2 on a usage error; an exception (and a non-zero status) on any failure.
 */
public final class ParquetCheck {

    private ParquetCheck() {
    }

    /**
     * @param args see the class comment
     * @throws Exception when DuckDB, a file or the S3 server fails
     */
    public static void main(String[] args) throws Exception {
        String cmd = args.length > 0 ? args[0] : "";
        if (cmd.equals("copy") && args.length == 3) {
            copy(Path.of(args[1]), Path.of(args[2]));
        } else if (cmd.equals("files") && args.length == 2) {
            System.out.println(stats(Path.of(args[1])));
        } else if (cmd.equals("s3") && args.length == 5) {
            s3(args[1], args[2], args[3], Path.of(args[4]));
        } else {
            System.err.println("usage: ParquetCheck copy CSV OUT | files DIR | s3 ENDPOINT BUCKET PREFIX DIR");
            System.exit(2);
        }
    }

    private static void copy(Path csv, Path out) throws SQLException, IOException {
        Files.deleteIfExists(out);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("CREATE TABLE events (id BIGINT NOT NULL, uid VARCHAR, n INTEGER, title VARCHAR,"
                    + " payload VARCHAR, amount DECIMAL(12,2), created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ,"
                    + " note VARCHAR)");
            st.execute("COPY events FROM " + literal(csv) + " (FORMAT csv, HEADER)");
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            st.execute("COPY events TO " + literal(out) + " (FORMAT parquet)");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "seconds=%.3f cpu=%.2f bytes=%d %s%n", seconds, cpu, Files.size(out),
                    stats(out));
        }
    }

    private static void s3(String endpoint, String bucket, String prefix, Path dir) throws Exception {
        clean(dir);
        Files.createDirectories(dir);
        long bytes = 0;
        int objects = 0;
        try (S3Client s3 = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build()) {
            List<S3Object> listed = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .stream().filter(o -> o.key().endsWith(".parquet")).toList();
            for (S3Object o : listed) {
                Path f = dir.resolve(String.format(Locale.ROOT, "o%06d.parquet", objects++));
                s3.getObject(b -> b.bucket(bucket).key(o.key()), ResponseTransformer.toFile(f));
                bytes += Files.size(f);
            }
        }
        System.out.printf(Locale.ROOT, "objects=%d bytes=%d %s%n", objects, bytes, stats(dir));
    }

    /**
     * Reads Parquet back with DuckDB's {@code read_parquet} (hive partitioning off, so a folder name adds no column).
     *
     * @param where one Parquet file, or a folder searched recursively for {@code *.parquet}
     * @return {@code rows=<count(*)> ids=<count(DISTINCT id)> sum_n=<sum(n)> sum_amount=<sum(amount)>}, the last two
     *         as plain digits, comparable with PostgreSQL's {@code sum} of the same columns
     * @throws SQLException when a file cannot be read or has no such columns
     */
    static String stats(Path where) throws SQLException {
        String glob = Files.isDirectory(where) ? where.resolve("**").resolve("*.parquet").toString() : where.toString();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id), CAST(sum(n) AS VARCHAR),"
                     + " CAST(sum(amount) AS VARCHAR) FROM read_parquet(" + literal(glob)
                     + ", hive_partitioning = false)")) {
            rs.next();
            return "rows=" + rs.getLong(1) + " ids=" + rs.getLong(2) + " sum_n=" + rs.getString(3) + " sum_amount="
                    + rs.getString(4);
        }
    }

    /** @return CPU time of this process (all threads, DuckDB's native ones included), in nanoseconds */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String literal(Path p) {
        return literal(p.toString());
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
