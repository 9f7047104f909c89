package io.caravan.serve;

import io.caravan.camel.CaravanMain;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.Location;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Problem;
import io.caravan.mapping.Settings;
import io.caravan.route.RouteFiles;
import io.caravan.route.RouteGenerator;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.ServeOptions;

import io.caravan.state.RunStore;
import io.caravan.state.RunStores;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One {@code caravan serve} process: loads every mapping and route file under the given paths, turns mappings into
 * routes (under {@code <stateDir>/generated}), and keeps camel-main running the table routes on their schedules
 * until stopped. See {@link io.caravan.camel.TableConsumer} for what serve mode does per table.
 *
 * <p>A route file wins over the mapping it names: that mapping is loaded (the routes read it) but not turned into
 * routes of its own.
 */
public final class Serve implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    private final Settings settings;
    private final Path stateDir;
    private final CaravanRuntime runtime;
    private final Found found;
    private final List<Path> paths;
    private volatile RouteReloader reloader;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Consumer<Main>> mainSteps = new CopyOnWriteArrayList<>();
    private volatile Main main;
    private volatile Throwable failure;
    private volatile ClusterLeadership leadership;
    private final RunStore runStore;
    private final SlackNotifier slack;

    /**
     * The files a serve process loads.
     *
     * @param mappingFiles  mapping files to turn into routes
     * @param referenced    mapping files that route files name (loaded, not turned into routes)
     * @param routeFiles    route files, run as they are
     */
    public record Found(List<Path> mappingFiles, List<Path> referenced, List<Path> routeFiles) {
    }

    /**
     * Finds and validates every file; nothing runs yet.
     *
     * @param settings the settings; never null
     * @param paths    files and directories (searched recursively for {@code .yaml}, {@code .yml}, {@code .json});
     *                 never null
     * @param stateDir the cursor store's and generated routes' directory, usually {@code .caravan}
     * @param options  serve mode's clock and rules, usually {@link ServeOptions#of(Settings)}
     * @throws MappingException naming file, line and key of every problem of every mapping, or a missing path
     * @throws io.caravan.state.StateException when the run store ({@code dashboard_store}) cannot be opened
     * @throws IllegalArgumentException when {@code slack_notif} names an environment variable that is not set
     */
    public Serve(Settings settings, List<Path> paths, Path stateDir, ServeOptions options) {
        this.settings = settings;
        this.stateDir = stateDir;
        this.paths = List.copyOf(paths);
        this.found = find(paths);
        List<Path> all = new ArrayList<>(found.mappingFiles());
        all.addAll(found.referenced());
        List<JobMapping> mappings = MappingLoader.loadAll(all);
        this.runtime = new CaravanRuntime(settings, stateDir);
        for (int i = 0; i < all.size(); i++) {
            runtime.register(all.get(i).toString(), mappings.get(i));
        }
        runtime.serve(options);
        runtime.addListener(new RunLog());
        this.slack = SlackNotifier.forSettings(settings);
        runtime.addListener(slack);
        this.runStore = RunStores.open(settings, stateDir);
        runtime.addListener(new RunRecorder(runStore));
    }

    /** @return where run statistics go (the settings' {@code dashboard_store}); never null */
    public RunStore runStore() {
        return runStore;
    }

    /** @return the runtime shared by the routes; never null */
    public CaravanRuntime runtime() {
        return runtime;
    }

    /** @return the settings; never null */
    public Settings settings() {
        return settings;
    }

    /** @return the hot reload of the paths' files; null before {@link #start} */
    public RouteReloader reloader() {
        return reloader;
    }

    /** @return the files found */
    public Found files() {
        return found;
    }

    /** @return the camel-main, once {@link #start} was called; null before */
    public Main main() {
        return main;
    }

    /**
     * @param step configures the camel-main before it runs (more routes, properties), in the order added; call
     *             before {@link #start}
     */
    public void beforeRun(Consumer<Main> step) {
        mainSteps.add(step);
    }

    /** @return the running CamelContext; null before start or after stop */
    public CamelContext context() {
        Main m = main;
        return m == null ? null : m.getCamelContext();
    }

    /**
     * Starts camel-main on a thread of its own and waits until the routes have started.
     *
     * @param timeoutSeconds most seconds to wait for the start
     * @throws IllegalStateException when the routes could not start, with Camel's reason
     */
    public void start(int timeoutSeconds) throws InterruptedException {
        List<String> routeFiles = new ArrayList<>();
        for (Path m : found.mappingFiles()) {
            JobMapping mapping = runtime.mapping(m.toString());
            routeFiles.add(RouteGenerator.write(mapping, m.toString(), stateDir.resolve("generated"))
                    .toAbsolutePath().toString());
        }
        found.routeFiles().forEach(p -> routeFiles.add(p.toAbsolutePath().toString()));
        runtime.openCursorStoreInBackground();
        main = CaravanMain.create(runtime, routeFiles);
        mainSteps.forEach(step -> step.accept(main));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                try {
                    slack.install(support.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot set up the Slack notifications: " + e.getMessage(), e);
                }
                if (settings.cluster().lock().equals("file")) {
                    Path root = settings.cluster().path() == null ? stateDir.resolve("cluster")
                            : Path.of(settings.cluster().path());
                    try {
                        leadership = ClusterLeadership.fileLocks(support.getCamelContext(), root, runtime);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot set up the job locks under " + root + ": " + e, e);
                    }
                    runtime.leadership(leadership);
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                if (leadership != null) {
                    runtime.mappings().values().forEach(m -> leadership.join(m.name()));
                }
                CamelContext ctx = support.getCamelContext();
                reloader = new RouteReloader(ctx, runtime, paths, stateDir.resolve("generated"));
                if (leadership != null) {
                    reloader.addListener(r -> {
                        if (r.error() == null && r.job() != null
                                && runtime.mappings().values().stream().anyMatch(m -> m.name().equals(r.job()))) {
                            leadership.join(r.job());   // a job added by a reload competes for its lock
                        }
                    });
                }
                try {
                    ctx.addService(reloader);   // started now; stopped with the context
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start hot reload: " + e.getMessage(), e);
                }
                started.countDown();
            }
        });
        Thread t = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure = e;
            } finally {
                started.countDown();
                stopped.countDown();
            }
        }, "caravan-serve");
        t.start();
        if (!started.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the routes did not start within " + timeoutSeconds + " s");
        }
        if (failure != null || stopped.getCount() == 0) {
            throw new IllegalStateException("the routes could not start: " + CaravanMain.rootMessage(failure),
                    failure);
        }
        LOG.info("serving {} job(s) from {} mapping file(s) and {} route file(s)", runtime.mappings().size(),
                found.mappingFiles().size() + found.referenced().size(), found.routeFiles().size());
    }

    /** Blocks until the process is stopped (SIGTERM, or {@link #close()}). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops the routes at a batch boundary of nothing in particular: runs under way fail and replay next time. */
    @Override
    public void close() {
        Main m = main;
        if (m != null) {
            m.completed();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runtime.close();
        runStore.close();
    }


    /**
     * @param paths files and directories
     * @return the mapping files, the mappings that route files name, and the route files, each sorted
     * @throws MappingException for a path that does not exist
     */
    static Found find(List<Path> paths) {
        List<Problem> problems = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(Serve::isYamlOrJson).sorted()
                            .forEach(f -> files.add(normal(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(normal(p));
            } else {
                problems.add(new Problem(new Location(p.toString(), 1, 1), null, null, "no such file or directory",
                        "give mapping and route files, or directories holding them"));
            }
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        List<Path> mappingFiles = new ArrayList<>();
        List<Path> routeFiles = new ArrayList<>();
        for (Path f : files) {
            (RouteFiles.isRouteFile(f) ? routeFiles : mappingFiles).add(f);
        }
        Set<Path> referenced = new LinkedHashSet<>();
        for (Path r : routeFiles) {
            for (Path m : RouteFiles.referencedMappings(r)) {
                referenced.add(normal(m));
            }
        }
        mappingFiles.removeAll(referenced);
        return new Found(List.copyOf(mappingFiles), List.copyOf(referenced), List.copyOf(routeFiles));
    }

    private static boolean isYamlOrJson(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    /** @return the path relative to the working directory when it is under it, else absolute; normalized */
    static Path normal(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
    }
}
