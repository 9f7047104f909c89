package io.caravan.cli;

import io.caravan.mapping.MappingException;
import io.caravan.mapping.Settings;
import io.caravan.mapping.SettingsLoader;
import io.caravan.runtime.ServeOptions;
import io.caravan.serve.Serve;
import io.caravan.server.HttpApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code caravan serve [--settings FILE] [PATH...]}: loads every mapping and route file under the paths (default
 * {@code mappings/} and {@code routes/}) and keeps running them on their schedules until stopped (SIGTERM or
 * Ctrl-C). Exit codes: 2 when a file is invalid (nothing starts), 1 when the routes cannot start.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs jobs on their cron schedules and keeps running: mapping and route files under PATHs.")
final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Mapping files, route files and directories holding them (default: mappings routes).")
    private List<Path> paths;

    @Option(names = "--settings", paramLabel = "FILE", description = "Settings file (the DMS seed's keys).")
    private Path settingsFile;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".caravan", hidden = true,
            description = "Directory of the embedded stores, lock files and generated routes.")
    private Path stateDir;

    @Override
    public Integer call() throws Exception {
        Serve serve;
        try {
            Settings settings = settingsFile == null ? Settings.defaults() : SettingsLoader.load(settingsFile);
            serve = new Serve(settings, pathsOrDefault(), stateDir, ServeOptions.of(settings));
        } catch (MappingException e) {
            System.err.println(e.getMessage());
            return CaravanCli.EXIT_INVALID;
        } catch (IllegalArgumentException | io.caravan.state.StateException e) {
            System.err.println("caravan: " + e.getMessage());
            return CaravanCli.EXIT_INVALID;
        }
        if (serve.settings().fastapiServer()) {
            Serve served = serve;
            served.beforeRun(main -> HttpApi.attach(main, served.runtime(), served.runStore()));
        }
        try (serve) {
            try {
                serve.start(120);
            } catch (IllegalStateException e) {
                System.err.println("caravan: " + e.getMessage());
                return CaravanCli.EXIT_FAILED;
            }
            serve.awaitStop();
        }
        return 0;
    }

    private List<Path> pathsOrDefault() {
        if (paths != null && !paths.isEmpty()) {
            return paths;
        }
        List<Path> defaults = new ArrayList<>();
        for (String d : List.of("mappings", "routes")) {
            if (Files.isDirectory(Path.of(d))) {
                defaults.add(Path.of(d));
            }
        }
        return defaults;
    }
}
