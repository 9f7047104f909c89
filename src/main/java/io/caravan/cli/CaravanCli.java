package io.caravan.cli;

import io.caravan.runtime.Shutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code caravan}: the command line. Exit codes: 0 success, 1 a job failed, 2 bad usage or an invalid mapping.
 */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = CaravanCli.Version.class,
        description = "Moves tables between databases as Apache Camel routes, from YAML job mappings.",
        subcommands = {ValidateCommand.class, GenerateCommand.class, RunCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class CaravanCli implements Runnable {

    /** A job failed. */
    public static final int EXIT_FAILED = 1;
    /** Bad usage or an invalid mapping. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, generate, run or serve");
    }

    /**
     * Runs the command line in this JVM.
     *
     * @param args arguments, e.g. {@code run mappings/shop.yaml}
     * @return the exit code
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new CaravanCli());
        cli.getCommandSpec().exitCodeOnInvalidInput(EXIT_INVALID);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("caravan: " + e.getMessage());
            return EXIT_FAILED;
        });
        return cli.execute(args);
    }

    /**
     * Runs the command line and exits the JVM with its exit code. On SIGTERM or Ctrl-C the JVM waits until the
     * command has stopped its runs at a batch boundary and printed its summary ({@link Shutdown}), then exits with the
     * signal's status (143 or 130).
     */
    public static void main(String[] args) {
        Shutdown.hold();
        int code;
        try {
            code = execute(args);
        } finally {
            Shutdown.release();
        }
        System.exit(code);
    }

    /** Prints the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CaravanCli.class.getPackage().getImplementationVersion();
            return new String[] {"caravan " + (v == null ? "(development build)" : v)};
        }
    }
}
