package io.caravan.it;

import io.caravan.testing.PgServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan generate} writes one route file per job, with route ids {@code <job>.<table>} and no secret in it;
 * {@code caravan run} runs a route file as it is, hand edits included (DESIGN §2, §4).
 */
class RouteFilesIT {

    private static final String ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL,"
            + " updated_at timestamptz NOT NULL)";
    private static final String TABLES = "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n"
            + "    batch_size: 40\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
            + "  - table_name: customers\n    cron: self-managed\n    mode: logging\n"
            + "    primary_key: id\n    primary_key_datatype: int\n";

    @TempDir
    Path dir;

    /** A password the test server accepts: its own when it has one, else any (trust authentication). */
    private static String password() {
        String own = PgServer.get().password();
        return own.isEmpty() ? "s3cret-pw" : own;
    }

    private PipelineHarness world() {
        PipelineHarness h = new PipelineHarness(dir, 2);
        h.source(ORDERS, "INSERT INTO orders SELECT g, 'new', now() - interval '1 day' + g * interval '1 second'"
                        + " FROM generate_series(1, 100) g",
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5) g");
        PgServer pg = PgServer.get();
        String b = "  b:\n    destination_type: pgsql\n    url: " + pg.host() + ":" + pg.port() + "\n    db_name: "
                + h.destinationDb(1) + "\n    username: " + pg.user() + "\n    password: '" + password() + "'\n"
                + "    schema: dw\n";
        h.mappingWith("shop", "destination:\n" + h.destinationYaml("a", 0, "dw") + b, TABLES);
        return h;
    }

    private Path generate(PipelineHarness h) throws IOException {
        Path out = dir.resolve("routes");
        PipelineHarness.Result r = h.caravan("generate", dir.resolve("shop.yaml").toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path routes = out.resolve("shop.yaml");
        assertThat(routes).exists();
        assertThat(r.out()).contains("wrote " + routes + " (2 route(s))");
        return routes;
    }

    @Test
    void generatedRouteFileHasOneRoutePerTableAndNoSecret() throws IOException {
        PipelineHarness h = world();
        String text = Files.readString(generate(h));
        assertThat(text).contains("id: shop.orders").contains("id: shop.customers")
                .contains("kamelet:caravan-pgsql-source").contains("destination: a").contains("destination: b")
                .doesNotContain(password()).doesNotContain("s3cret").doesNotContain("password");
        assertThat(Files.list(dir.resolve("routes")).map(p -> p.getFileName().toString()).toList())
                .containsExactly("shop.yaml");
    }

    @Test
    void runningAnEditedRouteFileRunsItAsEdited() throws IOException {
        PipelineHarness h = world();
        Path routes = generate(h);
        List<String> lines = new ArrayList<>(Files.readAllLines(routes));
        int removed = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("destination: b")) {
                int start = i;
                while (!lines.get(start).strip().equals("- to:")) {
                    start--;
                }
                lines.subList(start, i + 1).clear();
                removed++;
                i = start - 1;
            }
        }
        assertThat(removed).as("a 'to' of destination b in each of the two routes").isEqualTo(2);
        Files.write(routes, lines);

        PipelineHarness.Result r = h.runOk(routes);
        assertThat(r.out()).containsPattern("shop\\s+orders\\s+a\\s+succeeded\\s+100\\s+100\\s")
                .doesNotContainPattern("shop\\s+\\w+\\s+b\\s");
        assertThat(h.tableRows(h.destinationDb(0), "dw.orders", "id, status, updated_at", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "orders", "id, status, updated_at", "id"));
        assertThat(h.tableRows(h.destinationDb(0), "dw.customers", "id, name", "id"))
                .isEqualTo(h.tableRows(h.sourceDb(), "customers", "id, name", "id"));
        assertThat(h.count(h.destinationDb(1), "SELECT count(*) FROM pg_namespace WHERE nspname = 'dw'")).isZero();
        assertThat(h.count(h.destinationDb(1), "SELECT count(*) FROM pg_tables WHERE tablename IN ('orders', 'customers')"))
                .isZero();
    }
}
