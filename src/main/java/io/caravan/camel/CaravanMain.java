package io.caravan.camel;

import io.caravan.runtime.CaravanRuntime;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.errorhandler.NoErrorHandlerDefinition;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The camel-main set-up that {@code caravan run} and {@code caravan serve} share: the runtime and the route steps
 * bound in the registry, the route files to load, kamelets from {@code kamelets/} (then the classpath), no JMX, and
 * no Camel error handler on table routes (a failure ends the run and is recorded on it; serve mode retries whole
 * runs, see {@link TableConsumer}).
 */
public final class CaravanMain {

    private CaravanMain() {
    }

    /**
     * @param runtime    the process's runtime; never null
     * @param routeFiles absolute paths of the route files to load at start; never null, may be empty
     * @return a configured, not started, camel-main
     */
    public static Main create(CaravanRuntime runtime, List<String> routeFiles) {
        Main main = new Main();
        main.bind(CaravanRuntime.BEAN, runtime);
        main.bind("processDict", new ProcessDictStep());
        main.bind("getTableName", new GetTableNameStep());
        main.bind("bookmarks", new BookmarkStep());
        main.configure().withName("caravan")
                .withRoutesIncludePattern(routeFiles.stream().map(f -> "file:" + f).collect(Collectors.joining(",")))
                .withRoutesReloadEnabled(false)
                .withJmxEnabled(false);
        main.addInitialProperty("camel.component.kamelet.location", "file:kamelets,classpath:kamelets");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext ctx = support.getCamelContext();
                ctx.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerDefinition());
            }
        });
        return main;
    }

    /**
     * @param e a failure to start the routes; may be null
     * @return its message, followed by its innermost cause's when that is another exception; "see the log above"
     *         for null
     */
    public static String rootMessage(Throwable e) {
        if (e == null) {
            return "see the log above";
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }
}
