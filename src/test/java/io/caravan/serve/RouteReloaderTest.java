package io.caravan.serve;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import io.caravan.route.RouteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tables' routes a mapping edit restarts, and how files are told apart. */
class RouteReloaderTest {

    private static final String SHOP = """
            source:
              source_type: pgsql
              url: localhost:5432
              db_name: shop
              username: caravan
            destination:
              warehouse:
                destination_type: pgsql
                url: dw.example.com:5432
                db_name: dw
            tables:
              - table_name: orders
                cron: self-managed
                mode: syncing
                batch_size: 40
                bookmark: updated_at
                primary_key: id
                primary_key_datatype: int
              - table_name: customers
                cron: self-managed
                mode: logging
                primary_key: id
                primary_key_datatype: int
            """;

    @TempDir
    Path dir;

    private JobMapping load(String text) throws IOException {
        return MappingLoader.load(Files.writeString(dir.resolve("shop.yaml"), text));
    }

    @Test
    void batchSizeEditRestartsOnlyThatTable() throws IOException {
        JobMapping before = load(SHOP);
        JobMapping after = load(SHOP.replace("batch_size: 40", "batch_size: 7"));

        assertThat(RouteReloader.changedTables(before, after)).containsExactly("shop.orders");
        assertThat(RouteReloader.changedTables(before, load(SHOP))).isEmpty();
    }

    @Test
    void jobWideEditRestartsEveryTable() throws IOException {
        JobMapping before = load(SHOP);
        JobMapping after = load(SHOP.replace("db_name: dw", "db_name: dw2"));

        assertThat(RouteReloader.changedTables(before, after)).containsExactly("shop.orders", "shop.customers");
        assertThat(RouteReloader.changedTables(null, after)).containsExactly("shop.orders", "shop.customers");
    }

    @Test
    void newTableIsChangedAndRemovedOneIsNotListed() throws IOException {
        JobMapping before = load(SHOP);
        JobMapping after = load(SHOP.replace("table_name: customers", "table_name: clients"));

        assertThat(RouteReloader.changedTables(before, after)).containsExactly("shop.clients");
    }

    @Test
    void changedBeanRestartsTheRoutesNamingItOnly() {
        String routes = "- beans:\n    - name: greeter\n      type: java.lang.StringBuilder\n"
                + "- route:\n    id: a\n    from:\n      uri: timer:a\n      steps:\n        - bean: {ref: greeter}\n"
                + "- route:\n    id: b\n    from:\n      uri: timer:b\n";
        List<String> ids = List.of("a", "b");

        assertThat(RouteTree.changedRoutes(routes, routes, ids)).isEmpty();
        assertThat(RouteTree.changedRoutes(routes, routes.replace("StringBuilder", "StringBuffer"), ids))
                .containsExactly("a");
        assertThat(RouteTree.changedRoutes(routes, routes.replace("timer:b", "timer:c"), ids)).containsExactly("b");
        assertThat(RouteTree.changedRoutes(null, routes, ids)).containsExactly("a", "b");
        assertThat(RouteTree.changedRoutes(routes, "- routeTemplate:\n    id: t\n" + routes, ids))
                .as("another top-level entry changed").containsExactly("a", "b");
    }

    @Test
    void routeFilesAreListsAndMappingsAreMaps() {
        assertThat(RouteFiles.isRouteText("# routes\n---\n- route:\n    id: a\n")).isTrue();
        assertThat(RouteFiles.isRouteText(SHOP)).isFalse();
        assertThat(RouteFiles.isRouteText("{\"source\": {}}")).isFalse();
        assertThat(RouteFiles.isRouteText("")).isFalse();
    }
}
