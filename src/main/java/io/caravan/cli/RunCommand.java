package io.caravan.cli;

import io.caravan.batch.TableRun;
import io.caravan.camel.CaravanMain;
import io.caravan.mapping.JobMapping;
import io.caravan.mapping.Location;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Problem;
import io.caravan.mapping.Settings;
import io.caravan.mapping.SettingsLoader;
import io.caravan.route.RouteFiles;
import io.caravan.route.RouteGenerator;
import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.RunTracker;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code caravan run FILE...}: runs jobs once in camel-main. Mapping files are turned into routes (written under
 * {@code .caravan/generated/}); route files run as they are. Every mapping is validated before anything runs.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs jobs once: mapping files (turned into routes) and route files (run as they are).")
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Mapping files and route files.")
    private List<Path> files;

    @Option(names = "--settings", paramLabel = "FILE", description = "Settings file (the DMS seed's keys).")
    private Path settingsFile;

    @Option(names = "--progress-seconds", paramLabel = "N", defaultValue = "5",
            description = "Seconds between progress lines of long tables (default: ${DEFAULT-VALUE}).")
    private int progressSeconds;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".caravan", hidden = true,
            description = "Directory of the embedded cursor store and generated routes.")
    private Path stateDir;

    @Override
    public Integer call() throws Exception {
        Inputs inputs;
        Settings settings;
        try {
            settings = settingsFile == null ? Settings.defaults() : SettingsLoader.load(settingsFile);
            inputs = Inputs.classify(files);
        } catch (MappingException e) {
            System.err.println(e.getMessage());
            return CaravanCli.EXIT_INVALID;
        }
        List<String> routeFiles = new ArrayList<>();
        for (int i = 0; i < inputs.mappings().size(); i++) {
            JobMapping m = inputs.mappings().get(i);
            Path written = RouteGenerator.write(m, inputs.mappingPaths().get(i), stateDir.resolve("generated"));
            routeFiles.add(written.toAbsolutePath().toString());
        }
        inputs.routeFiles().forEach(p -> routeFiles.add(p.toAbsolutePath().toString()));
        try (CaravanRuntime runtime = new CaravanRuntime(settings, stateDir)) {
            for (int i = 0; i < inputs.mappings().size(); i++) {
                runtime.register(inputs.mappingPaths().get(i), inputs.mappings().get(i));
            }
            runtime.openCursorStoreInBackground();
            boolean started = runCamel(runtime, routeFiles);
            RunTracker tracker = runtime.tracker();
            if (started) {
                new Summary(tracker.finishedRuns(), tracker.failuresBeforeStart()).print(System.out);
            }
            boolean ok = started && tracker.failuresBeforeStart().isEmpty()
                    && tracker.finishedRuns().stream().allMatch(r -> r.status() == TableRun.Status.SUCCEEDED);
            return ok ? 0 : CaravanCli.EXIT_FAILED;
        }
    }

    /** @return false when Camel could not start the routes */
    private boolean runCamel(CaravanRuntime runtime, List<String> routeFiles) throws Exception {
        Main main = CaravanMain.create(runtime, routeFiles);
        Progress progress = new Progress(runtime.tracker(), progressSeconds, System.err);
        boolean[] started = {false};
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                started[0] = true;
                Thread waiter = new Thread(() -> {
                    try {
                        runtime.tracker().awaitAll(0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    progress.stop();
                    main.completed();
                }, "caravan-run-waiter");
                waiter.setDaemon(true);
                waiter.start();
                progress.start();
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            System.err.println("caravan: the routes could not start: " + CaravanMain.rootMessage(e));
            return false;
        } finally {
            progress.stop();
        }
        if (!started[0]) {
            System.err.println("caravan: the routes could not start (see the log above)");
        }
        return started[0];
    }


    /** The command's files, sorted into mappings (validated) and route files. */
    record Inputs(List<JobMapping> mappings, List<String> mappingPaths, List<Path> routeFiles) {

        /** @throws MappingException with every problem of every mapping, including those route files name */
        static Inputs classify(List<Path> files) {
            List<Path> mappingFiles = new ArrayList<>();
            List<Path> routeFiles = new ArrayList<>();
            for (Path f : files) {
                (RouteFiles.isRouteFile(f) ? routeFiles : mappingFiles).add(f);
            }
            Set<Path> referenced = new LinkedHashSet<>();
            List<Problem> twice = new ArrayList<>();
            for (Path r : routeFiles) {
                for (Path m : RouteFiles.referencedMappings(r)) {
                    referenced.add(m);
                    if (mappingFiles.stream().anyMatch(f -> samePath(f, m))) {
                        twice.add(new Problem(new Location(r.toString(), 1, 1), null, null, "runs the routes of "
                                + m + ", which is given too", "give either the mapping or its route file"));
                    }
                }
            }
            if (!twice.isEmpty()) {
                throw new MappingException(twice);
            }
            referenced.removeIf(m -> mappingFiles.stream().anyMatch(f -> samePath(f, m)));
            List<Path> all = new ArrayList<>(mappingFiles);
            all.addAll(referenced);
            List<JobMapping> loaded = MappingLoader.loadAll(all);
            List<JobMapping> mappings = new ArrayList<>(loaded);
            List<String> paths = all.stream().map(Path::toString).toList();
            return new Inputs(mappings.subList(0, mappingFiles.size()), paths.subList(0, mappingFiles.size()),
                    routeFiles);
        }
    }

    private static boolean samePath(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
