package io.caravan.serve;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces the routes of one Camel YAML DSL file in a running context by those of the file's new text, touching only
 * the routes whose definition changed (compared as YAML trees, by route id). A route without an id, or a changed
 * {@code beans} entry it names, or any other changed top-level entry, counts as changed. A route's kamelet routes go
 * with it once no other route uses them. The new text is parsed before anything stops; when the new routes fail to
 * start, the old ones are put back.
 */
final class RouteSwap {

    private static final Logger LOG = LoggerFactory.getLogger(RouteSwap.class);
    private static final String PARENT_ROUTE_ID = "parentRouteId";

    /**
     * What a swap did, by route id.
     *
     * @param reloaded routes stopped and started again with a new definition
     * @param added    new routes
     * @param removed  routes gone from the file, stopped and removed
     */
    record Result(List<String> reloaded, List<String> added, List<String> removed) {

        /** @return true when no route was touched */
        boolean isEmpty() {
            return reloaded.isEmpty() && added.isEmpty() && removed.isEmpty();
        }
    }

    /** The new text is invalid; nothing was changed. The message starts with {@code file:line:col}. */
    static final class RefusedEdit extends Exception {

        private static final long serialVersionUID = 1L;

        RefusedEdit(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A parsed route file: its routes (not yet in the context) and route templates. */
    private record Parsed(List<RouteDefinition> routes, List<RouteTemplateDefinition> templates,
                          List<RoutesDefinition> collections) {
    }

    private final CamelContext ctx;
    private final Model model;
    private final Path file;
    private final String shownName;

    /**
     * @param ctx       a started context
     * @param file      the route file, absolute and normalized; routes whose source resource is this file are its
     * @param shownName the file as error messages name it
     */
    RouteSwap(CamelContext ctx, Path file, String shownName) {
        this.ctx = ctx;
        this.model = ctx.getCamelContextExtension().getContextPlugin(Model.class);
        this.file = file;
        this.shownName = shownName;
    }

    /**
     * Checks the text as a route file: YAML, the DSL's keys, and route ids not used by another file.
     *
     * @throws RefusedEdit naming file, line, column and what is wrong
     */
    void check(String text) throws RefusedEdit {
        parse(text);
    }

    /**
     * @param oldText the text the running routes were loaded from; null when none were
     * @param newText the file's new text; null when the file was deleted
     * @param forced  ids of routes to restart even when their definition did not change; never null
     * @return what changed
     * @throws RefusedEdit when the new text is invalid (nothing was changed) or its routes cannot start (the old
     *                    routes were put back, or the failure to do so logged)
     * @throws Exception   when the old routes could not be stopped
     */
    Result swap(String oldText, String newText, Set<String> forced) throws Exception {
        Parsed next = newText == null ? new Parsed(List.of(), List.of(), List.of()) : parse(newText);
        Set<String> running = runningIds();
        Set<String> changed = changedIds(oldText, newText, next, forced);
        List<String> toRemove = new ArrayList<>();
        for (String id : running) {
            if (changed.contains(id) || next.routes().stream().noneMatch(r -> id.equals(r.getId()))) {
                toRemove.add(id);
            }
        }
        List<RouteDefinition> toAdd = next.routes().stream()
                .filter(r -> r.getId() == null || changed.contains(r.getId()) || !running.contains(r.getId()))
                .toList();
        remove(toRemove);
        try {
            add(next, toAdd);
        } catch (Exception e) {
            rollBack(toAdd, toRemove, oldText);
            throw cannotStart(e, toAdd);
        }
        return result(toRemove, toAdd);
    }

    /** @return the failure named by the file, the failing route's line and id, and the deepest cause's message */
    private RefusedEdit cannotStart(Exception e, List<RouteDefinition> added) {
        String id = null;
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException f && id == null) {
                id = f.getRouteId();
            } else if (t instanceof FailedToStartRouteException f && id == null) {
                id = f.getRouteId();
            }
            root = t;
        }
        String routeId = id;
        int line = added.stream().filter(r -> Objects.equals(routeId, r.getId()))
                .mapToInt(RouteDefinition::getLineNumber).filter(n -> n > 0).findFirst().orElse(1);
        return new RefusedEdit(shownName + ":" + line + ":1 " + (id == null ? "" : "route " + id + " ")
                + "cannot start: " + root.getMessage(), e);
    }

    private Result result(List<String> removed, List<RouteDefinition> added) {
        List<String> addedIds = added.stream().map(RouteDefinition::getId).toList();
        return new Result(removed.stream().filter(addedIds::contains).toList(),
                addedIds.stream().filter(id -> !removed.contains(id)).toList(),
                removed.stream().filter(id -> !addedIds.contains(id)).toList());
    }

    private Parsed parse(String text) throws RefusedEdit {
        Resource resource = ResourceHelper.fromString("file:" + file, text);
        List<RouteDefinition> routes = new ArrayList<>();
        List<RouteTemplateDefinition> templates = new ArrayList<>();
        List<RoutesDefinition> collections = new ArrayList<>();
        try {
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(ctx).findRoutesBuilders(List.of(resource))) {
                if (b instanceof RouteBuilder rb) {
                    RoutesDefinition rd = rb.configureRoutes(ctx);
                    collections.add(rd);
                    routes.addAll(rd.getRoutes());
                    templates.addAll(rb.getRouteTemplateCollection().getRouteTemplates());
                }
            }
        } catch (Exception e) {
            throw refused(e);
        }
        checkIds(routes);
        return new Parsed(routes, templates, collections);
    }

    private RefusedEdit refused(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
                Mark mark = m.getProblemMark().get();
                String what = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
                return new RefusedEdit(shownName + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + " "
                        + what.strip(), e);
            }
        }
        return new RefusedEdit(shownName + ":1:1 " + e.getMessage(), e);
    }

    private void checkIds(List<RouteDefinition> routes) throws RefusedEdit {
        Set<String> seen = new LinkedHashSet<>();
        for (RouteDefinition r : routes) {
            String id = r.getId();
            if (id == null) {
                continue;
            }
            Route other = ctx.getRoute(id);
            String where = shownName + ":" + r.getLineNumber() + ":1 route " + id + ": ";
            if (!seen.add(id)) {
                throw new RefusedEdit(where + "the id is used twice in the file; give each route its own id", null);
            }
            if (other != null && !file.equals(sourceFile(other))) {
                throw new RefusedEdit(where + "the id is already used by " + other.getSourceLocationShort()
                        + "; give the route another id", null);
            }
        }
    }

    /** @return ids of this file's running routes (not their kamelet routes) */
    Set<String> runningIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route r : ctx.getRoutes()) {
            if (!r.isCreatedByKamelet() && file.equals(sourceFile(r))) {
                ids.add(r.getRouteId());
            }
        }
        return ids;
    }

    /** @return the file a route was loaded from, absolute and normalized; null when not from a file */
    static Path sourceFile(Route route) {
        String loc = route.getSourceResource() != null ? route.getSourceResource().getLocation() : null;
        if (loc == null || !loc.startsWith("file:")) {
            return null;
        }
        return Path.of(loc.substring("file:".length())).toAbsolutePath().normalize();
    }

    private static Set<String> changedIds(String oldText, String newText, Parsed next, Set<String> forced) {
        Set<String> changed = new LinkedHashSet<>(forced);
        changed.addAll(RouteTree.changedRoutes(oldText, newText,
                next.routes().stream().map(RouteDefinition::getId).toList()));
        return changed;
    }

    /**
     * Stops and removes the routes, then every kamelet route no route uses any more. A sink kamelet's route can be
     * shared: routes with the same {@code to: kamelet:...} URI share one endpoint, hence one kamelet route, which
     * stays while one of them runs.
     */
    private void remove(Collection<String> ids) throws Exception {
        List<RouteDefinition> defs = new ArrayList<>();
        for (String id : ids) {
            RouteDefinition d = model.getRouteDefinition(id);
            if (d != null) {
                defs.add(d);
            }
        }
        // first the routes that poll the tables (in source kamelets), so that their in-flight exchanges finish
        // before the routes they call stop
        for (RouteDefinition d : model.getRouteDefinitions()) {
            if (isFromKamelet(d) && !isKameletInput(d) && ids.contains(parentOf(d))) {
                ctx.getRouteController().stopRoute(d.getId());
            }
        }
        model.removeRouteDefinitions(defs);
        removeUnusedKameletRoutes();
    }

    /** Removes kamelet routes whose kamelet endpoint is gone (Camel drops an endpoint with the last route using it). */
    private void removeUnusedKameletRoutes() throws Exception {
        while (true) {
            Set<String> used = new LinkedHashSet<>();
            for (Endpoint e : ctx.getEndpoints()) {
                if (e instanceof KameletEndpoint k && !isVirtual(k.getEndpointUri())) {
                    used.add(k.getRouteId());
                }
            }
            List<RouteDefinition> unused = model.getRouteDefinitions().stream()
                    .filter(d -> isFromKamelet(d) && !used.contains(d.getId())).toList();
            if (unused.isEmpty()) {
                return;
            }
            model.removeRouteDefinitions(unused);
        }
    }

    /** @return whether the URI is one of the endpoints inside a kamelet that stand for its caller */
    private static boolean isVirtual(String uri) {
        return uri.startsWith("kamelet://source") || uri.startsWith("kamelet://sink")
                || uri.startsWith("kamelet:source") || uri.startsWith("kamelet:sink");
    }

    private static boolean isFromKamelet(RouteDefinition d) {
        return Boolean.TRUE.equals(d.isKamelet()) && parentOf(d) != null;
    }

    private static String parentOf(RouteDefinition d) {
        Map<String, Object> params = d.getTemplateParameters();
        return params == null ? null : (String) params.get(PARENT_ROUTE_ID);
    }

    private static boolean isKameletInput(RouteDefinition d) {
        String uri = d.getInput() == null ? "" : d.getInput().getEndpointUri();
        return uri != null && uri.startsWith("kamelet:");
    }

    private void add(Parsed parsed, List<RouteDefinition> routes) throws Exception {
        if (!parsed.templates().isEmpty()) {
            model.addRouteTemplateDefinitions(parsed.templates());
        }
        for (RouteDefinition r : routes) {
            for (RoutesDefinition c : parsed.collections()) {
                if (c.getRoutes().contains(r)) {
                    c.prepareRoute(r);
                }
            }
        }
        model.addRouteDefinitions(routes);
    }

    /** The new routes did not start: removes those that did, and loads the removed ones again from the old text. */
    private void rollBack(List<RouteDefinition> added, List<String> removed, String oldText) {
        try {
            remove(added.stream().map(RouteDefinition::getId).filter(Objects::nonNull)
                    .filter(id -> model.getRouteDefinition(id) != null).toList());
            if (oldText != null) {
                Parsed old = parse(oldText);
                add(old, old.routes().stream().filter(r -> r.getId() == null || removed.contains(r.getId())).toList());
            }
        } catch (Exception e) {
            LOG.error("{}: the previous routes could not be started again: {}", shownName, e.getMessage(), e);
        }
    }
}
