package io.caravan.serve;

import io.caravan.batch.TableRun;
import io.caravan.camel.BookmarkStep;
import io.caravan.camel.GetTableNameStep;
import io.caravan.camel.ProcessDictStep;
import io.caravan.it.PipelineHarness;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Settings;
import io.caravan.route.RouteGenerator;
import io.caravan.runtime.CaravanRuntime;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kamelet.KameletComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hot reload while serving (issue 5, part 7): an edit reloads only what changed, an invalid edit is refused with
 * file and line and the previous routes keep running, a deleted file stops its routes, a new file is loaded. Runs a
 * real context with the YAML DSL, the project's kamelets and the caravan beans bound as {@code caravan run} binds
 * them; the mapping tests run real table routes against the test PostgreSQL.
 */
class RouteReloaderIT {

    private static final long TIMEOUT_MS = 20_000;

    private static final String TICK_SINK = """
            apiVersion: camel.apache.org/v1
            kind: Kamelet
            metadata:
              name: tick-sink
            spec:
              definition:
                properties:
                  tag: {type: string}
              template:
                from:
                  uri: kamelet:source
                  steps:
                    - setHeader: {name: tag, constant: "{{tag}}"}
            """;

    @TempDir
    Path dir;

    private DefaultCamelContext ctx;
    private CaravanRuntime runtime;
    private final List<RouteReloader.Reload> reloads = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (ctx != null) {
            ctx.stop();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Starts a context running the route files, then the reloader watching {@code watched}. */
    private void serve(List<Path> routeFiles, List<Path> watched) throws Exception {
        Files.createDirectories(dir.resolve("kamelets"));
        Files.writeString(dir.resolve("kamelets/tick-sink.kamelet.yaml"), TICK_SINK);
        ctx = new DefaultCamelContext();
        ctx.getRegistry().bind(CaravanRuntime.BEAN, runtime);
        ctx.getRegistry().bind("processDict", new ProcessDictStep());
        ctx.getRegistry().bind("getTableName", new GetTableNameStep());
        ctx.getRegistry().bind("bookmarks", new BookmarkStep());
        ctx.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerDefinition());
        ctx.getComponent("kamelet", KameletComponent.class)
                .setLocation("file:" + dir.resolve("kamelets") + ",file:kamelets");
        for (Path f : routeFiles) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(ctx, "file:" + f.toAbsolutePath()));
        }
        ctx.start();
        RouteReloader reloader = new RouteReloader(ctx, runtime, watched, dir.resolve(".caravan/generated"));
        reloader.addListener(reloads::add);
        ctx.addService(reloader);
    }

    private static String timerRoute(String id, long periodMs, String extra) {
        return "- route:\n    id: " + id + "\n    from:\n      uri: timer:" + id + "?period=" + periodMs
                + "\n      steps:\n        - setBody: {constant: " + id + "}\n" + extra;
    }

    private static String toKamelet(String tag) {
        return "        - to: kamelet:tick-sink?tag=" + tag + "\n";
    }

    @Test
    void routeFileEditBreakFixAndDeleteTouchOnlyThatFilesRoutes() throws Exception {
        runtime = new CaravanRuntime(Settings.defaults(), dir.resolve(".caravan"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path a = Files.writeString(routes.resolve("a.yaml"),
                timerRoute("a1", 100, "") + timerRoute("a2", 100, toKamelet("x")));
        Path b = Files.writeString(routes.resolve("b.yaml"), timerRoute("b1", 100, toKamelet("y")));
        serve(List.of(a, b), List.of(routes));
        Map<String, Route> before = routesById();
        assertThat(before).containsKeys("a1", "a2", "b1");
        assertThat(kameletRoutesOf("a2")).hasSize(1);

        // the listener hears of a reload after its routes are swapped: wait for it before reading lastReload()
        Files.writeString(a, timerRoute("a1", 150, "") + timerRoute("a2", 100, toKamelet("x")));
        await("a1 restarted with period 150", () -> !reloads.isEmpty() && replaced("a1", before.get("a1"))
                && ctx.getRoute("a1").getEndpoint().getEndpointUri().contains("period=150"));
        assertThat(ctx.getRoute("a2")).as("unchanged route of the edited file").isSameAs(before.get("a2"));
        assertThat(ctx.getRoute("b1")).as("route of another file").isSameAs(before.get("b1"));
        assertThat(lastReload().reloaded()).containsExactly("a1");

        Route a1 = ctx.getRoute("a1");
        int seen = reloads.size();
        Files.writeString(a, timerRoute("a1", 200, "        - lgo: oops\n"));
        await("the broken edit refused", () -> reloads.size() > seen && lastReload().error() != null);
        assertThat(lastReload().error()).startsWith(a + ":7:11 ").contains("lgo")
                .contains("previous routes keep running");
        assertThat(ctx.getRoute("a1")).isSameAs(a1);
        assertThat(started("a1") && started("a2") && started("b1")).isTrue();

        int broken = reloads.size();
        Files.writeString(a, timerRoute("a1", 200, ""));
        await("the fixed file reloaded", () -> reloads.size() > broken && replaced("a1", a1)
                && ctx.getRoute("a2") == null);
        assertThat(lastReload().reloaded()).containsExactly("a1");
        assertThat(lastReload().removed()).containsExactly("a2");
        assertThat(kameletRoutesOf("a2")).as("the kamelet route of a removed route").isEmpty();

        int refusals = reloads.size();
        Files.writeString(a, "- route:\n    id: a1\n    from:\n      uri: nosuch:x\n");
        await("the edit that cannot start refused", () -> reloads.size() > refusals && lastReload().error() != null);
        assertThat(lastReload().error()).startsWith(a + ":1:1 route a1 cannot start: ").contains("nosuch")
                .contains("previous routes keep running");
        assertThat(started("a1")).as("the previous a1 put back").isTrue();
        assertThat(ctx.getRoute("a1").getEndpoint().getEndpointUri()).contains("period=200");

        Files.writeString(routes.resolve("c.yaml"), timerRoute("c1", 100, ""));
        await("a new file loaded", () -> started("c1"));

        Files.delete(a);
        await("a deleted file's routes removed", () -> ctx.getRoute("a1") == null);
        assertThat(ctx.getRoute("b1")).isSameAs(before.get("b1"));
        assertThat(started("b1") && started("c1")).isTrue();
        assertThat(kameletRoutesOf("b1")).hasSize(1);
    }

    @Test
    void routeIdOfAnotherFileIsRefused() throws Exception {
        runtime = new CaravanRuntime(Settings.defaults(), dir.resolve(".caravan"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path a = Files.writeString(routes.resolve("a.yaml"), timerRoute("a1", 100, ""));
        Path b = Files.writeString(routes.resolve("b.yaml"), timerRoute("b1", 100, ""));
        serve(List.of(a, b), List.of(routes));
        Route b1 = ctx.getRoute("b1");

        Files.writeString(b, timerRoute("b1", 100, "") + timerRoute("a1", 100, ""));
        await("the edit refused", () -> !reloads.isEmpty());
        assertThat(lastReload().error()).startsWith(b + ":7:1 route a1: the id is already used by");
        assertThat(ctx.getRoute("b1")).isSameAs(b1);
        assertThat(RouteSwap.sourceFile(ctx.getRoute("a1"))).isEqualTo(a);
    }

    @Test
    void mappingEditRestartsOnlyTheChangedTableAndAnInvalidEditIsRefused() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'new', now() - g * interval '1 second' FROM generate_series(1, 50) g",
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5) g");
        Path mapping = h.mapping("shop", tables(40));
        String key = mapping.toString();
        runtime = new CaravanRuntime(Settings.defaults(), dir.resolve(".caravan"));
        runtime.register(key, MappingLoader.load(mapping));
        Path generated = RouteGenerator.write(runtime.mapping(key), key, dir.resolve(".caravan/generated"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path other = Files.writeString(routes.resolve("other.yaml"), timerRoute("other", 100, ""));
        serve(List.of(generated, other), List.of(mapping, routes));
        await("both tables ran", () -> runs("orders") == 1 && runs("customers") == 1);
        Map<String, Route> before = routesById();
        long kameletRoutes = kameletRouteCount();

        Files.writeString(mapping, Files.readString(mapping).replace("batch_size: 40", "batch_size: 7"));
        await("orders restarted and ran again", () -> !reloads.isEmpty()
                && replaced("shop.orders", before.get("shop.orders")) && runs("orders") == 2);
        assertThat(lastReload().reloaded()).containsExactly("shop.orders");
        assertThat(lastReload().job()).isEqualTo("shop");
        assertThat(ctx.getRoute("shop.customers")).isSameAs(before.get("shop.customers"));
        assertThat(ctx.getRoute("other")).isSameAs(before.get("other"));
        assertThat(runs("customers")).as("the unchanged one-shot table did not run again").isEqualTo(1);
        assertThat(runtime.mapping(key).table("orders").batchSize()).isEqualTo(7);
        assertThat(kameletRouteCount()).as("the old source kamelet route removed, a new one made")
                .isEqualTo(kameletRoutes);
        assertThat(h.count(h.destinationDb(0), "SELECT count(*) FROM dw.orders")).isEqualTo(50);

        Route orders = ctx.getRoute("shop.orders");
        int seen = reloads.size();
        Files.writeString(mapping, Files.readString(mapping).replace("mode: syncing", "mode: synching"));
        await("the invalid mapping refused", () -> reloads.size() > seen && lastReload().error() != null);
        assertThat(lastReload().error()).contains(key + ":").contains("tables[0].mode");
        assertThat(ctx.getRoute("shop.orders")).isSameAs(orders);
        assertThat(runtime.mapping(key).table("orders").batchSize()).isEqualTo(7);

        Files.writeString(mapping, Files.readString(mapping).replace("mode: synching", "mode: syncing")
                .replace("  - table_name: customers", "  - table_name: gone"));
        await("customers removed, gone added", () -> ctx.getRoute("shop.customers") == null
                && ctx.getRoute("shop.gone") != null);
        assertThat(ctx.getRoute("shop.orders")).isSameAs(orders);
        assertThat(Files.readString(generated)).contains("id: shop.gone").doesNotContain("shop.customers");

        Files.delete(mapping);
        await("the deleted mapping's routes removed", () -> ctx.getRoute("shop.orders") == null);
        assertThat(generated).doesNotExist();
        assertThat(ctx.getRoute("other")).isSameAs(before.get("other"));
        assertThat(ctx.getRoutes()).extracting(Route::getRouteId).containsExactly("other");
    }

    @Test
    void mappingNamedByARouteFileIsRegisteredWithoutGeneratingRoutes() throws Exception {
        runtime = new CaravanRuntime(Settings.defaults(), dir.resolve(".caravan"));
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Path mapping = Files.writeString(mappings.resolve("shop.yaml"), "source:\n  source_type: pgsql\n"
                + "  url: localhost:5432\n  db_name: shop\n  username: u\ndestination:\n  w:\n"
                + "    destination_type: pgsql\n    url: localhost:5432\n    db_name: dw\ntables:\n" + tables(40));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path r = Files.writeString(routes.resolve("shop.yaml"), timerRoute("r1", 100, "        - to:\n"
                + "            uri: kamelet:tick-sink\n            parameters: {tag: t, mapping: " + mapping + "}\n"));
        serve(List.of(r), List.of(mappings, routes));
        Route r1 = ctx.getRoute("r1");
        assertThat(runtime.mapping(mapping.toString()).table("orders").batchSize()).isEqualTo(40);

        Files.writeString(mapping, Files.readString(mapping).replace("batch_size: 40", "batch_size: 9"));
        await("the mapping registered again", () -> !reloads.isEmpty());
        assertThat(lastReload().error()).isNull();
        assertThat(runtime.mapping(mapping.toString()).table("orders").batchSize()).isEqualTo(9);
        assertThat(ctx.getRoute("r1")).isSameAs(r1);
        assertThat(dir.resolve(".caravan/generated/shop.yaml")).doesNotExist();
    }

    @Test
    void inServeModeAnEditedSelfManagedTableIsNotRunAgain() throws Exception {
        PipelineHarness h = new PipelineHarness(dir, 1);
        h.source("CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, updated_at timestamptz NOT NULL)",
                "INSERT INTO orders SELECT g, 'new', now() - g * interval '1 second' FROM generate_series(1, 50) g",
                "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5) g");
        Path mappings = Files.createDirectories(dir.resolve("mappings"));
        Path mapping = Files.move(h.mapping("shop", tables(40).replace("cron: self-managed\n    mode: logging",
                "cron: '* * * * * ?'\n    mode: logging")), mappings.resolve("shop.yaml"));
        Settings settings = Settings.defaults();
        List<TableRun> finished = new CopyOnWriteArrayList<>();
        try (Serve serve = new Serve(settings, List.of(mappings), dir.resolve(".caravan"),
                io.caravan.runtime.ServeOptions.of(settings))) {
            serve.runtime().addListener(finished::add);
            serve.start(60);
            ctx = null;
            runtime = serve.runtime();
            serve.reloader().addListener(reloads::add);
            await("orders ran once, customers on its cron", () -> count(finished, "orders") == 1
                    && count(finished, "customers") >= 1);
            Route orders = serve.context().getRoute("shop.orders");

            Files.writeString(mapping, Files.readString(mapping).replace("batch_size: 40", "batch_size: 7"));
            await("the mapping reloaded", () -> !reloads.isEmpty());
            assertThat(lastReload().reloaded()).containsExactly("shop.orders");
            assertThat(serve.context().getRoute("shop.orders")).isNotSameAs(orders);
            long customers = count(finished, "customers");
            await("two more scheduled runs of customers", () -> count(finished, "customers") >= customers + 2);
            assertThat(count(finished, "orders")).as("the self-managed table did not run again").isEqualTo(1);
            assertThat(runtime.mapping(mapping.toString()).table("orders").batchSize()).isEqualTo(7);
        } finally {
            runtime = null;
        }
    }

    private static long count(List<TableRun> runs, String table) {
        return runs.stream().filter(r -> r.table().tableName().equals(table)).count();
    }

    private static String tables(int ordersBatch) {
        return "  - table_name: orders\n    cron: self-managed\n    mode: syncing\n    batch_size: " + ordersBatch
                + "\n    bookmark: updated_at\n    primary_key: id\n    primary_key_datatype: int\n"
                + "  - table_name: customers\n    cron: self-managed\n    mode: logging\n"
                + "    primary_key: id\n    primary_key_datatype: int\n";
    }

    private long runs(String table) {
        return runtime.tracker().finishedRuns().stream().map(TableRun::table)
                .filter(t -> t.tableName().equals(table)).count();
    }

    private Map<String, Route> routesById() {
        return ctx.getRoutes().stream().collect(Collectors.toMap(Route::getRouteId, Function.identity()));
    }

    private List<String> kameletRoutesOf(String routeId) {
        return ctx.getRouteDefinitions().stream()
                .filter(d -> d.getTemplateParameters() != null
                        && routeId.equals(d.getTemplateParameters().get("parentRouteId")))
                .map(d -> d.getId()).toList();
    }

    private long kameletRouteCount() {
        return ctx.getRoutes().stream().filter(Route::isCreatedByKamelet).count();
    }

    /** @return whether a started route {@code id} is there and is not {@code old} (it is null mid-swap) */
    private boolean replaced(String id, Route old) {
        Route now = ctx.getRoute(id);
        return now != null && now != old && started(id);
    }

    private boolean started(String id) {
        return ctx.getRouteController().getRouteStatus(id) == ServiceStatus.Started;
    }

    private RouteReloader.Reload lastReload() {
        return reloads.get(reloads.size() - 1);
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("not within " + TIMEOUT_MS + " ms: " + what + "; reloads: " + reloads + "; " + state());
            }
            Thread.sleep(50);
        }
    }

    /** @return the routes and runs, for a failure message */
    private String state() {
        if (ctx == null || runtime == null) {
            return "";
        }
        List<String> routes = ctx.getRoutes().stream().map(r -> r.getRouteId() + " "
                + r.getEndpoint().getEndpointUri() + " " + ctx.getRouteController().getRouteStatus(r.getRouteId()))
                .toList();
        List<String> runs = runtime.tracker().finishedRuns().stream()
                .map(r -> r.table().tableName() + " " + r.status()).toList();
        return "routes: " + routes + "; finished runs: " + runs + "; running: "
                + runtime.tracker().runningRuns().size();
    }
}
