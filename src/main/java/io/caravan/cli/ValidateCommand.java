package io.caravan.cli;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.MappingException;
import io.caravan.mapping.MappingLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code caravan validate FILE...}: checks mappings and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks job mappings and reports every problem, as file:line:col key.path: message.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Mapping files (YAML or JSON).")
    private List<Path> files;

    @Override
    public Integer call() {
        try {
            for (JobMapping m : MappingLoader.loadAll(files)) {
                System.out.println("ok " + m.file() + ": job " + m.name() + ", " + m.tables().size() + " table(s), "
                        + m.destinations().size() + " destination(s)");
            }
            return 0;
        } catch (MappingException e) {
            System.err.println(e.getMessage());
            return CaravanCli.EXIT_INVALID;
        }
    }
}
