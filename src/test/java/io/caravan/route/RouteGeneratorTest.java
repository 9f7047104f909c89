package io.caravan.route;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingLoader;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Generated routes: one per table, loadable by Camel's YAML DSL, without secrets. */
class RouteGeneratorTest {

    @TempDir
    Path dir;

    /** A user's record transformer. */
    public static class Clean implements io.caravan.api.ProcessDict {
        @Override
        public java.util.Map<String, Object> process(java.util.Map<String, Object> record) {
            return record;
        }
    }

    private JobMapping mapping() throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                source: {source_type: pgsql, url: db1, db_name: shop, username: u, password: literal-secret}
                destination:
                  warehouse: {destination_type: pgsql, url: dw, db_name: dw, password: '${env:DW_PASSWORD}'}
                  replica: {destination_type: pgsql, url: dw2, db_name: dw}
                tables:
                  - {table_name: public.orders, cron: self-managed, mode: syncing, bookmark: updated_at,
                     primary_key: id, primary_key_datatype: int, process_dict: io.caravan.route.RouteGeneratorTest$Clean}
                  - {table_name: lines, cron: self-managed, mode: dumping}
                """);
        return MappingLoader.load(file);
    }

    @Test
    void oneRoutePerTableWithTheDesignSteps() throws Exception {
        String yaml = RouteGenerator.generate(mapping(), "mappings/shop.yaml");

        assertThat(yaml).doesNotContain("literal-secret").doesNotContain("DW_PASSWORD");
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.fromString("shop.yaml", yaml));
            List<RouteDefinition> routes = ((ModelCamelContext) ctx).getRouteDefinitions();
            assertThat(routes).extracting(RouteDefinition::getRouteId).containsExactly("shop.public.orders", "shop.lines");
            RouteDefinition orders = routes.get(0);
            assertThat(orders.getInput().getEndpointUri()).startsWith("kamelet:caravan-pgsql-source");
            String steps = orders.getOutputs().toString();
            assertThat(steps).contains("Split[").contains("shop.public.orders.processDict").contains("getTableName")
                    .contains("Multicast[").contains("destination=warehouse").contains("destination=replica")
                    .contains("bookmarks");
        }
        assertThat(yaml).contains("name: shop.public.orders.processDict")
                .contains("type: io.caravan.camel.ProcessDictStep").contains("io.caravan.route.RouteGeneratorTest$Clean")
                .contains("mapping: mappings/shop.yaml").contains("table: public.orders");
    }

    @Test
    void writesAtomicallyIntoTheFolder() throws Exception {
        Path out = dir.resolve("routes");
        Path written = RouteGenerator.write(mapping(), "mappings/shop.yaml", out);
        assertThat(written).isEqualTo(out.resolve("shop.yaml"));
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("shop.yaml");
        }
    }
}
