package io.caravan.it;

import io.caravan.cli.CaravanCli;
import io.caravan.testing.PgServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One job's world for a scenario test: a source database and destination databases on the test PostgreSQL
 * ({@link PgServer}), a working directory with its own cursor store, mapping files written from YAML snippets, and
 * {@code caravan} run in this JVM. Every harness uses new, randomly named databases.
 */
public final class PipelineHarness {

    /** What a command printed and returned. */
    public record Result(int exitCode, String out, String err) {
    }

    private final PgServer pg = PgServer.get();
    private final Path dir;
    private final String sourceDb;
    private final List<String> destinationDbs = new ArrayList<>();

    /**
     * @param dir          working directory (a JUnit {@code @TempDir})
     * @param destinations number of destination databases to create
     */
    public PipelineHarness(Path dir, int destinations) {
        this.dir = dir;
        this.sourceDb = pg.createDatabase("src");
        for (int i = 0; i < destinations; i++) {
            destinationDbs.add(pg.createDatabase("dst" + i));
        }
    }

    public Path dir() {
        return dir;
    }

    public String sourceDb() {
        return sourceDb;
    }

    /** @return the i-th destination database's name */
    public String destinationDb(int i) {
        return destinationDbs.get(i);
    }

    /** @return the {@code source:} block of a mapping for the source database */
    public String sourceYaml() {
        return "source:\n  source_type: pgsql\n  url: " + pg.host() + ":" + pg.port() + "\n  db_name: " + sourceDb
                + "\n  username: " + pg.user() + "\n" + password("  ");
    }

    /** @return one destination entry (named {@code name}) for the i-th destination database, schema {@code schema} */
    public String destinationYaml(String name, int i, String schema) {
        return "  " + name + ":\n    destination_type: pgsql\n    url: " + pg.host() + ":" + pg.port()
                + "\n    db_name: " + destinationDbs.get(i) + "\n    username: " + pg.user() + "\n" + password("    ")
                + (schema == null ? "" : "    schema: " + schema + "\n");
    }

    private String password(String indent) {
        return pg.password().isEmpty() ? "" : indent + "password: '" + pg.password() + "'\n";
    }

    /**
     * Writes {@code <dir>/<job>.yaml}: the source, one destination {@code warehouse} (database 0, schema
     * {@code dw}), and the given {@code tables:} list items.
     *
     * @param tablesYaml the list items under {@code tables:}, indented by two spaces
     * @return the file
     */
    public Path mapping(String job, String tablesYaml) {
        return mappingWith(job, "destination:\n" + destinationYaml("warehouse", 0, "dw"), tablesYaml);
    }

    /** Writes {@code <dir>/<job>.yaml} with a {@code destination:} block of one's own. */
    public Path mappingWith(String job, String destinationBlock, String tablesYaml) {
        Path file = dir.resolve(job + ".yaml");
        try {
            Files.writeString(file, sourceYaml() + destinationBlock + "tables:\n" + tablesYaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    /**
     * Runs {@code caravan <args>} in this JVM with this harness's cursor store ({@code <dir>/.caravan}).
     *
     * @return exit code and what was printed
     */
    public synchronized Result caravan(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.isEmpty() && all.get(0).equals("run")) {
            all.add("--state-dir");
            all.add(dir.resolve(".caravan").toString());
            all.add("--progress-seconds");
            all.add("0");
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = CaravanCli.execute(all.toArray(new String[0]));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            oldOut.print(out.toString(StandardCharsets.UTF_8));
            oldErr.print(err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Runs {@code caravan run <files>} and fails unless it exits 0. */
    public Result runOk(Path... files) {
        Result r = caravan(runArgs(files));
        if (r.exitCode() != 0) {
            throw new AssertionError("caravan run exited " + r.exitCode() + "\n" + r.out() + r.err());
        }
        return r;
    }

    /** @return {@code run} followed by the files */
    public static String[] runArgs(Path... files) {
        String[] args = new String[files.length + 1];
        args[0] = "run";
        for (int i = 0; i < files.length; i++) {
            args[i + 1] = files[i].toString();
        }
        return args;
    }

    /** Executes statements in the source database. */
    public void source(String... sql) {
        execute(sourceDb, sql);
    }

    /** Executes statements in database {@code db}. */
    public void execute(String db, String... sql) {
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** @return every row of {@code sql} in {@code db}, each row's columns joined by {@code |} (NULL as {@code ∅}) */
    public List<String> rows(String db, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String v = rs.getString(i);
                    sb.append(i > 1 ? "|" : "").append(v == null ? "∅" : v);
                }
                out.add(sb.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /** @return the single value of {@code sql} as a long */
    public long count(String db, String sql) {
        return Long.parseLong(rows(db, sql).get(0));
    }

    /**
     * @param columns the columns to compare, comma separated
     * @param orderBy the key
     * @return the rows of {@code table} in {@code db} as text, ordered by key
     */
    public List<String> tableRows(String db, String table, String columns, String orderBy) {
        return rows(db, "SELECT " + columns + " FROM " + table + " ORDER BY " + orderBy);
    }

    /** Columns of the {@link #orders} table, in order, for comparing rows. */
    public static final String ORDERS_COLUMNS = "id, status, amount, updated_at";

    /**
     * A job {@code shop} over a source table {@code orders} (bigint key, status, amount, updated_at) of 250 rows a
     * day old, with one table entry in the given mode, batches of 40, key {@code id}.
     *
     * @param extra more keys of the table entry, each line indented by four spaces
     */
    public static PipelineHarness orders(Path dir, String mode, String extra) {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, amount numeric(12,2),"
                + " updated_at timestamptz NOT NULL)", "INSERT INTO orders SELECT g, 'new', g * 1.5,"
                + " now() - interval '1 day' + g * interval '1 second' FROM generate_series(1, 250) g");
        h.mapping("shop", "  - table_name: orders\n    cron: self-managed\n    mode: " + mode + "\n    batch_size: 40\n"
                + "    primary_key: id\n    primary_key_datatype: int\n" + extra);
        return h;
    }

    /**
     * @param notNull true to add {@code NOT NULL} after the columns that have it
     * @return {@code <column> <format_type>} of every column of {@code table} in {@code db}, in order
     */
    public List<String> columnTypes(String db, String table, boolean notNull) {
        return rows(db, "SELECT attname || ' ' || format_type(atttypid, atttypmod)"
                + (notNull ? " || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END" : "")
                + " FROM pg_attribute WHERE attrelid = '" + table + "'::regclass AND attnum > 0 AND NOT attisdropped"
                + " ORDER BY attnum");
    }
}
