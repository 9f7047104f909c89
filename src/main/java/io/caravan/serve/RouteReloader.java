package io.caravan.serve;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Problem;
import io.caravan.mapping.TableSpec;
import io.caravan.route.RouteFiles;
import io.caravan.route.RouteGenerator;
import io.caravan.runtime.CaravanRuntime;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.caravan.serve.ReloadFiles.hash;
import static io.caravan.serve.ReloadFiles.read;
import static io.caravan.serve.ReloadFiles.shown;
import static io.caravan.serve.ReloadFiles.writeAtomically;

/**
 * Hot reload for {@code caravan serve} (issue 5, part 7): watches mapping and route files and, when one changes,
 * replaces only the routes that changed, leaving every other route running.
 * <ul>
 *   <li>A route file (Camel YAML DSL): parsed first; an invalid edit is refused with one ERROR line naming file,
 *       line and column, and the file's previous routes keep running. A valid edit stops and starts again only the
 *       routes whose definition changed (see {@link RouteSwap}).</li>
 *   <li>A mapping file: validated with {@link MappingLoader}; an invalid one is refused with the loader's
 *       {@code file:line:col key} lines. A valid one is registered in the {@link CaravanRuntime}, its route file is
 *       written again under the generated directory (a temporary file, then an atomic move), and only the routes of
 *       tables whose {@link TableSpec}, job-wide keys or generated route changed are restarted; a table gone from the
 *       mapping has its route removed, a new table gets one.</li>
 *   <li>A deleted file has its routes (for a mapping, its generated routes) stopped and removed; a new file is
 *       loaded.</li>
 * </ul>
 * Events are collected on one thread and handled once a file has been quiet for {@value #QUIET_MILLIS} ms; a file
 * whose content did not change since it was last handled is skipped. Files under the generated directory, kamelet
 * files ({@code *.kamelet.yaml}) and hidden files are not watched. Camel's own route reload
 * ({@code camel.main.routes-reload-enabled}) must stay off (CAMEL-NOTES §3).
 */
public final class RouteReloader extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);

    /** Milliseconds a file must see no event before it is reloaded. */
    static final long QUIET_MILLIS = 300;

    /**
     * What one reload did or why it was refused.
     *
     * @param file     the mapping or route file, absolute; never null
     * @param job      for a mapping file, the job it defines (a new job's leadership, say, may need setting up); null
     *                 for a route file or a refused edit
     * @param reloaded ids of routes restarted with a new definition; never null
     * @param added    ids of new routes; never null
     * @param removed  ids of routes stopped and removed; never null
     * @param error    why the edit was refused or could not start (the previous routes keep running); null when
     *                 it was applied
     */
    public record Reload(Path file, String job, List<String> reloaded, List<String> added, List<String> removed,
                         String error) {
    }

    /** A loaded mapping: the path the runtime and its routes know it by, and the mapping. */
    private record MappingState(String key, JobMapping mapping) {
    }

    private final CamelContext ctx;
    private final CaravanRuntime runtime;
    private final List<Path> watched;
    private final Path generatedDir;
    private final List<Consumer<Reload>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Path, String> routeTexts = new HashMap<>();
    private final Map<Path, MappingState> mappings = new HashMap<>();
    private final Map<Path, String> seen = new HashMap<>();
    private PathWatcher watcher;

    /**
     * @param ctx          the context the routes run in
     * @param runtime      the runtime bound as {@value CaravanRuntime#BEAN}, where mappings are registered
     * @param watched      directories (watched recursively) and files: mappings and route files
     * @param generatedDir where route files of mappings are written ({@code .caravan/generated}); its routes must
     *                     have been loaded from {@code <generatedDir>/<job>.yaml}
     */
    public RouteReloader(CamelContext ctx, CaravanRuntime runtime, List<Path> watched, Path generatedDir) {
        this.ctx = ctx;
        this.runtime = runtime;
        this.watched = watched.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.generatedDir = generatedDir.toAbsolutePath().normalize();
    }

    /** @param listener called after every reload and refusal, on the watcher's thread */
    public void addListener(Consumer<Reload> listener) {
        listeners.add(listener);
    }

    /**
     * @param file a file
     * @return whether the reloader looks at it: a {@code .yaml}, {@code .yml} or {@code .json} file that is not a
     *         kamelet, not hidden and not under the generated directory
     */
    boolean accepts(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
                && !name.startsWith(".") && !name.endsWith(".kamelet.yaml") && !file.startsWith(generatedDir);
    }

    @Override
    protected void doStart() {
        watcher = new PathWatcher(watched, this::accepts, QUIET_MILLIS, this::changed);
        List<Path> files = watcher.everyFile();
        Map<String, String> keys = generatedMappingKeys();
        for (Path f : files) {
            if (RouteFiles.isRouteFile(f)) {
                addMappingKeys(f, keys);
            }
        }
        for (Path f : files) {
            remember(f, keys);
        }
        watcher.start();
        LOG.info("Hot reload: watching {} ({} route file(s), {} mapping(s))", watched, routeTexts.size(),
                mappings.size());
    }

    @Override
    protected void doStop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Records what a file held when serving started, so that a later edit is compared with it. */
    private void remember(Path f, Map<String, String> keys) {
        String text = read(f);
        if (text == null) {
            return;
        }
        seen.put(f, hash(text));
        if (RouteFiles.isRouteText(text)) {
            routeTexts.put(f, text);
            return;
        }
        String key = keys.getOrDefault(f.toString(), shown(f));
        try {
            mappings.put(f, new MappingState(key, runtime.mapping(key)));
        } catch (MappingException e) {
            LOG.warn("{} is not loaded (invalid); it is loaded when fixed", shown(f));
        }
    }

    /** @return absolute mapping file to the path the generated routes name it by */
    private Map<String, String> generatedMappingKeys() {
        Map<String, String> keys = new HashMap<>();
        if (!Files.isDirectory(generatedDir)) {
            return keys;
        }
        try (var s = Files.list(generatedDir)) {
            s.filter(p -> p.toString().endsWith(".yaml")).forEach(g -> addMappingKeys(g, keys));
        } catch (IOException e) {
            LOG.warn("cannot list the generated routes in {}: {}", generatedDir, e.getMessage());
        }
        return keys;
    }

    /** Adds, for each mapping the route file names, its absolute path to the path as the file writes it. */
    private static void addMappingKeys(Path routeFile, Map<String, String> keys) {
        try {
            for (Path m : RouteFiles.referencedMappings(routeFile)) {
                keys.put(m.toAbsolutePath().normalize().toString(), m.toString());
            }
        } catch (MappingException e) {
            LOG.warn("cannot read {}: {}", shown(routeFile), e.getMessage());
        }
    }

    /** @return the path the runtime knows a new mapping by: as a watched route file names it, else as shown */
    private String keyFor(Path mapping) {
        Map<String, String> keys = new HashMap<>();
        routeTexts.keySet().forEach(r -> addMappingKeys(r, keys));
        return keys.getOrDefault(mapping.toString(), shown(mapping));
    }

    private void changed(Set<Path> files) {
        for (Path f : files) {
            String text = read(f);
            String hash = text == null ? null : hash(text);
            if (seen.containsKey(f) ? Objects.equals(hash, seen.get(f)) : hash == null) {
                continue;
            }
            seen.put(f, hash);
            handle(f, text);
        }
    }

    private void handle(Path f, String text) {
        boolean isRoute = text != null && RouteFiles.isRouteText(text);
        try {
            if (routeTexts.containsKey(f) && !isRoute) {
                routeFileChanged(f, null);
            }
            if (mappings.containsKey(f) && (text == null || isRoute)) {
                mappingDeleted(f);
            }
            if (isRoute) {
                routeFileChanged(f, text);
            } else if (text != null) {
                mappingChanged(f);
            }
        } catch (RouteSwap.RefusedEdit e) {
            refuse(f, e.getMessage() + "; the previous routes keep running");
        } catch (Exception e) {
            refuse(f, shown(f) + ": the reload failed: " + message(e));
            LOG.debug("reload of {} failed", f, e);
        }
    }

    private void routeFileChanged(Path f, String text) throws Exception {
        RouteSwap.Result r = new RouteSwap(ctx, f, shown(f)).swap(routeTexts.get(f), text, Set.of());
        if (text == null) {
            routeTexts.remove(f);
        } else {
            routeTexts.put(f, text);
        }
        applied(f, null, text == null ? "deleted" : "changed", r);
    }

    private void mappingChanged(Path f) throws Exception {
        MappingState old = mappings.get(f);
        String key = old != null ? old.key() : keyFor(f);
        JobMapping m;
        try {
            m = MappingLoader.load(Path.of(key));
        } catch (MappingException e) {
            List<String> lines = e.problems().stream().map(Problem::format).toList();
            refuse(f, shown(f) + ": invalid, the previous version keeps running:\n" + String.join("\n", lines));
            return;
        }
        if (isReferenced(f)) {
            runtime.register(key, m);
            mappings.put(f, new MappingState(key, m));
            LOG.info("Reloaded {} (changed): route files name it, so its tables {} use it from their next run",
                    shown(f), changedTables(old == null ? null : old.mapping(), m));
            notify(new Reload(f, m.name(), List.of(), List.of(), List.of(), null));
            return;
        }
        checkJobName(f, m);
        if (old != null && !old.mapping().name().equals(m.name())) {
            mappingDeleted(f);
            old = null;
        }
        swapMapping(f, key, old == null ? null : old.mapping(), m);
        mappings.put(f, new MappingState(key, m));
    }

    /** @return whether a watched route file names the mapping (its routes are that file's, none are generated) */
    private boolean isReferenced(Path mapping) {
        for (Path r : routeTexts.keySet()) {
            try {
                if (RouteFiles.referencedMappings(r).stream()
                        .anyMatch(m -> m.toAbsolutePath().normalize().equals(mapping))) {
                    return true;
                }
            } catch (MappingException e) {
                LOG.warn("cannot read {}: {}", shown(r), e.getMessage());
            }
        }
        return false;
    }

    private void checkJobName(Path f, JobMapping m) throws RouteSwap.RefusedEdit {
        for (Map.Entry<Path, MappingState> e : mappings.entrySet()) {
            if (!e.getKey().equals(f) && e.getValue().mapping().name().equals(m.name())) {
                throw new RouteSwap.RefusedEdit(shown(f) + ":1:1 job " + m.name() + " is already defined by "
                        + shown(e.getKey()) + "; rename one of the files (a job is named after its file)", null);
            }
        }
    }

    /** Writes the mapping's routes again and swaps those of changed tables; puts everything back on failure. */
    private void swapMapping(Path f, String key, JobMapping old, JobMapping m) throws Exception {
        Path generated = generatedDir.resolve(m.name() + ".yaml");
        String oldText = read(generated);
        String newText = RouteGenerator.generate(m, key);
        RouteSwap swap = new RouteSwap(ctx, generated, shown(generated));
        swap.check(newText);
        writeAtomically(generated, newText);
        runtime.register(key, m);
        RouteSwap.Result r;
        try {
            r = swap.swap(oldText, newText, changedTables(old, m));
        } catch (Exception e) {
            if (oldText != null) {
                writeAtomically(generated, oldText);
            }
            if (old != null) {
                runtime.register(key, old);
            } else {
                runtime.unregister(key);
            }
            throw e;
        }
        applied(f, m.name(), "changed", r);
    }

    private void mappingDeleted(Path f) throws Exception {
        MappingState old = mappings.remove(f);
        if (isReferenced(f)) {
            runtime.unregister(old.key());
            LOG.warn("{} was deleted but route files name it; their tables fail from their next run", shown(f));
            notify(new Reload(f, old.mapping().name(), List.of(), List.of(), List.of(), null));
            return;
        }
        Path generated = generatedDir.resolve(old.mapping().name() + ".yaml");
        RouteSwap.Result r = new RouteSwap(ctx, generated, shown(generated)).swap(read(generated), null, Set.of());
        Files.deleteIfExists(generated);
        runtime.unregister(old.key());
        applied(f, old.mapping().name(), "deleted", r);
    }

    /**
     * @param old the mapping that ran; null when none did
     * @return route ids of the tables of {@code now} to restart: a table whose {@link TableSpec} changed, or every
     *         table when a job-wide key (source, destinations, process_dict, get_table_name, redis) changed
     */
    static Set<String> changedTables(JobMapping old, JobMapping now) {
        boolean jobWide = old == null || !Objects.equals(old.source(), now.source())
                || !Objects.equals(old.destinations(), now.destinations())
                || !Objects.equals(old.processDict(), now.processDict())
                || !Objects.equals(old.getTableName(), now.getTableName())
                || !Objects.equals(old.redis(), now.redis());
        Set<String> ids = new LinkedHashSet<>();
        for (TableSpec t : now.tables()) {
            TableSpec before = jobWide ? null : old.tables().stream()
                    .filter(o -> o.tableName().equals(t.tableName())).findFirst().orElse(null);
            if (!t.equals(before)) {
                ids.add(RouteGenerator.routeId(now, t));
            }
        }
        return ids;
    }

    private void applied(Path f, String job, String what, RouteSwap.Result r) {
        LOG.info("Reloaded {} ({}): routes reloaded {}, added {}, removed {}", shown(f), what, r.reloaded(),
                r.added(), r.removed());
        notify(new Reload(f, job, r.reloaded(), r.added(), r.removed(), null));
    }

    private void refuse(Path f, String error) {
        LOG.error("Refused {}", error);
        notify(new Reload(f, null, List.of(), List.of(), List.of(), error));
    }

    private void notify(Reload reload) {
        for (Consumer<Reload> l : listeners) {
            try {
                l.accept(reload);
            } catch (RuntimeException e) {
                LOG.warn("a reload listener failed: {}", e.toString());
            }
        }
    }

    private static String message(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
