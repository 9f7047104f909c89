package io.caravan.format;

import io.caravan.batch.Column;
import io.caravan.batch.TableShape;
import io.caravan.mapping.DestinationSpec;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Parquet write benchmark (bench/parquet-write.sh runs it): writes ROWS rows of an events table (id bigint, kind text,
 * payload jsonb, amount numeric(12,2), created_at and updated_at timestamptz) in batches of BATCH rows, and in the
 * same run measures:
 * <ol>
 *   <li>caravan: {@link RowFormat} PARQUET, one file per batch (the s3 and file destinations' path); rows built as
 *       PgBinaryCodec.decode gives them, building untimed;</li>
 *   <li>duckdb per batch: DuckDB's JDBC driver as the candidate library: each batch appended to a DuckDB table
 *       with its Appender and written with {@code COPY batch TO 'part.parquet' (FORMAT parquet)}, both timed;</li>
 *   <li>duckdb copy: DuckDB's own {@code COPY events TO 'all.parquet' (FORMAT parquet)} of all rows, already loaded
 *       into DuckDB (untimed), one file: the reference.</li>
 * </ol>
 * Prints rows/s (wall), rows per CPU second of the whole process (steadier than wall time when other processes share
 * the cores), bytes written, the peak heap of the caravan step and the ratios. Environment: ROWS (default
 * 2000000), BATCH (default 10000), BENCH_DIR (default bench/work/parquet).
 */
public final class ParquetWriteBench {

    static final TableShape EVENTS = new TableShape(List.of(
            new Column("id", "bigint", 20, true),
            new Column("kind", "text", 25, false),
            new Column("payload", "jsonb", 3802, false),
            new Column("amount", "numeric(12,2)", 1700, false),
            new Column("created_at", "timestamp with time zone", 1184, false),
            new Column("updated_at", "timestamp with time zone", 1184, false)), List.of("id"));

    private static final String[] KINDS = {"order.created", "order.paid", "order.shipped", "order.cancelled",
        "user.signup", "user.login", "cart.updated", "refund.issued"};
    private static final OffsetDateTime BASE = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private ParquetWriteBench() {
    }

    /** The rows with ids {@code from .. from + n - 1}, as the source decoder gives them; deterministic. */
    static List<Object[]> batch(long from, int n) {
        List<Object[]> rows = new ArrayList<>(n);
        for (long id = from; id < from + n; id++) {
            OffsetDateTime created = BASE.plusNanos(id * 1_234_567_000L);
            String payload = "{\"user\": " + (id * 7919 % 100_000) + ", \"items\": [" + (id % 13) + ", " + (id % 17)
                    + ", " + (id % 19) + "], \"source\": \"web\", \"tags\": [\"a\", \"b\"], \"note\": \"événement "
                    + Long.toHexString(id * 2654435761L) + " lorem ipsum dolor sit amet consectetur\", \"ok\": "
                    + (id % 2 == 0) + "}";
            rows.add(new Object[] {id, KINDS[(int) (id % KINDS.length)], id % 10 == 0 ? null : payload,
                BigDecimal.valueOf(id * 37 % 100_000_000, 2), created, created.plusNanos((id % 1000 + 1) * 1000)});
        }
        return rows;
    }

    /**
     * Runs the benchmark and prints the table (see the class javadoc).
     *
     * @param args ignored; settings come from the environment
     * @throws Exception when a file cannot be written or DuckDB fails
     */
    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(System.getenv().getOrDefault("ROWS", "2000000"));
        int batchSize = Integer.parseInt(System.getenv().getOrDefault("BATCH", "10000"));
        Path dir = Path.of(System.getenv().getOrDefault("BENCH_DIR", "bench/work/parquet"));
        Path caravanDir = dir.resolve("caravan");
        Path duckDir = dir.resolve("duckdb");
        for (Path d : List.of(caravanDir, duckDir)) {
            clean(d);
            Files.createDirectories(d);
        }
        RowFormat parquet = RowFormat.of(DestinationSpec.FileFormat.PARQUET);
        System.out.printf(Locale.ROOT, "events: %,d rows in batches of %,d, %d cores, max heap %d MB%n", rows, batchSize,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        // warm-up: JIT and class loading, not counted
        parquet.write(EVENTS, batch(0, Math.min(batchSize, 10_000)), dir.resolve("warmup.parquet"));

        // 1. caravan: RowFormat, one file per batch
        resetPeaks();
        long caravanNanos = 0;
        long caravanCpu = 0;
        int part = 0;
        for (long from = 1; from <= rows; from += batchSize) {
            List<Object[]> b = batch(from, (int) Math.min(batchSize, rows - from + 1));
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            parquet.write(EVENTS, b, caravanDir.resolve(String.format(Locale.ROOT, "part-%05d.parquet", part++)));
            caravanNanos += System.nanoTime() - t0;
            caravanCpu += cpuNanos() - c0;
        }
        long caravanHeap = peakHeap();
        long caravanRss = rssPeakKb();

        // 2. DuckDB as the library, per batch (append + COPY timed); 3. DuckDB COPY of the whole table
        long duckBatchNanos = 0;
        long duckBatchCpu = 0;
        long duckCopyNanos;
        long duckCopyCpu;
        try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement()) {
            String columns = "(id BIGINT NOT NULL, kind VARCHAR, payload VARCHAR, amount DECIMAL(12,2),"
                    + " created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ)";
            st.execute("SET TimeZone = 'UTC'");
            st.execute("CREATE TABLE events " + columns);
            st.execute("CREATE TABLE batch " + columns);
            part = 0;
            for (long from = 1; from <= rows; from += batchSize) {
                List<Object[]> b = batch(from, (int) Math.min(batchSize, rows - from + 1));
                st.execute("DELETE FROM batch");
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                try (DuckDBAppender a = c.createAppender("main", "batch")) {
                    for (Object[] r : b) {
                        a.beginRow().append((Long) r[0]).append((String) r[1]);
                        if (r[2] == null) {
                            a.appendNull();
                        } else {
                            a.append((String) r[2]);
                        }
                        a.append((BigDecimal) r[3]).append((OffsetDateTime) r[4]).append((OffsetDateTime) r[5])
                                .endRow();
                    }
                }
                st.execute("COPY batch TO '" + duckDir.resolve(String.format(Locale.ROOT, "part-%05d.parquet",
                        part++)) + "' (FORMAT parquet)");
                duckBatchNanos += System.nanoTime() - t0;
                duckBatchCpu += cpuNanos() - c0;
                st.execute("INSERT INTO events SELECT * FROM batch");
            }
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            st.execute("COPY events TO '" + dir.resolve("duckdb-all.parquet") + "' (FORMAT parquet)");
            duckCopyNanos = System.nanoTime() - t0;
            duckCopyCpu = cpuNanos() - c0;
        }

        double caravanRate = rows / (caravanNanos / 1e9);
        double duckBatchRate = rows / (duckBatchNanos / 1e9);
        double duckCopyRate = rows / (duckCopyNanos / 1e9);
        System.out.printf(Locale.ROOT, "%-42s %8s %12s %8s %14s %7s%n", "step", "seconds", "rows/s", "cpu s",
                "rows/cpu s", "MB");
        line("caravan RowFormat parquet, file per batch", rows, caravanNanos, caravanCpu, size(caravanDir));
        line("duckdb appender + COPY, file per batch", rows, duckBatchNanos, duckBatchCpu, size(duckDir));
        line("duckdb COPY events TO one file", rows, duckCopyNanos, duckCopyCpu,
                Files.size(dir.resolve("duckdb-all.parquet")));
        System.out.printf(Locale.ROOT, "ratio caravan / duckdb COPY (rows/s): %.2f%n", caravanRate / duckCopyRate);
        System.out.printf(Locale.ROOT, "ratio caravan / duckdb per batch (rows/s): %.2f%n", caravanRate / duckBatchRate);
        System.out.printf(Locale.ROOT, "ratio caravan / duckdb COPY (rows per cpu second): %.2f%n",
                (double) duckCopyCpu / caravanCpu);
        System.out.printf(Locale.ROOT, "caravan step: peak heap %d MB, peak RSS %d MB (before DuckDB was loaded)%n",
                caravanHeap >> 20, caravanRss >> 10);
        System.out.printf(Locale.ROOT, "whole run: peak RSS %d MB; load average (1, 5, 15 min): %s%n",
                rssPeakKb() >> 10, loadAverage());
    }

    private static void line(String step, long rows, long nanos, long cpu, long bytes) {
        System.out.printf(Locale.ROOT, "%-42s %8.2f %,12.0f %8.2f %,14.0f %7.1f%n", step, nanos / 1e9,
                rows / (nanos / 1e9), cpu / 1e9, rows / (cpu / 1e9), bytes / 1e6);
    }

    /** @return CPU time of the whole process (all threads: DuckDB's native ones, the JVM's GC), in nanoseconds */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void clean(Path d) throws IOException {
        if (Files.exists(d)) {
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
    }

    private static long size(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            long total = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long total = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                total += p.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    /** @return the machine's load averages, or "?" off Linux (other processes on the cores skew the numbers) */
    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        if (!Files.exists(p)) {
            return "?";
        }
        String[] f = Files.readString(p).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** @return the process's peak resident set (VmHWM) in kB, or -1 off Linux */
    private static long rssPeakKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
