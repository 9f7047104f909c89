package io.caravan.cli;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.MappingLoader;
import io.caravan.route.RouteGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code caravan generate FILE... --out DIR}: writes one Camel YAML DSL route file per job. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Writes Camel YAML DSL routes for job mappings: <out>/<job>.yaml, one route per table.")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Mapping files (YAML or JSON).")
    private List<Path> files;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "routes",
            description = "Directory for the route files (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override
    public Integer call() {
        List<JobMapping> mappings;
        try {
            mappings = MappingLoader.loadAll(files);
        } catch (MappingException e) {
            System.err.println(e.getMessage());
            return CaravanCli.EXIT_INVALID;
        }
        for (int i = 0; i < mappings.size(); i++) {
            Path written = RouteGenerator.write(mappings.get(i), files.get(i).toString(), out);
            System.out.println("wrote " + written + " (" + mappings.get(i).tables().size() + " route(s))");
        }
        return 0;
    }
}
