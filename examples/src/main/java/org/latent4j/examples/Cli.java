package org.latent4j.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code latent4j} command-line tool: {@code latent4j --help}, {@code latent4j demo},
 * {@code latent4j inspect FILE.safetensors}, and one subcommand per model example. Run it through the
 * {@code ./latent4j} launcher at the repository root, which builds the jar and passes the JVM flags.
 *
 * <p>Exit codes: 0 success, 1 an unexpected error (a bug: the stack trace is printed), 2 bad input (a
 * wrong option, a missing or malformed file: one line on stderr, no stack trace).
 */
@Command(name = "latent4j", mixinStandardHelpOptions = true, version = "latent4j 0.1.0-SNAPSHOT",
        description = "Train and sample generative deep-learning models on the JVM.",
        subcommands = {DemoCommand.class, InspectCommand.class, TwoMoonsClassifier.Command.class,
            CoreTour.Command.class, DataTour.Command.class, GptCommand.class, DiffusionCommand.class,
            GanCommand.class, VaeCommand.class, FlowCommand.class,
            NerfCommand.class})
public final class Cli extends CommandGroup {
    /** Exit code for bad input: a wrong option, a missing or malformed file. */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** An example's {@code main}: runs {@code latent4j <subcommand> args...} and exits with its code. */
    static void runSubcommand(String subcommand, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = subcommand;
        System.arraycopy(args, 0, all, 1, args.length);
        main(all);
    }

    /** Prints {@code name value} rows, numbers with six significant digits. */
    static void printValues(PrintWriter out, java.util.Map<String, ?> values) {
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        values.forEach((k, v) -> out.printf(java.util.Locale.ROOT, "%-" + width + "s  %s%n", k,
                v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.6g", d) : v));
        out.flush();
    }

    /** Runs the tool with the given output streams and returns the exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        CommandLine cli = new CommandLine(new Cli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof BadInputException) {
                String prefix = line.getCommandName() + ": ";
                String msg = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                line.getErr().println("latent4j " + prefix + msg);
                return EXIT_BAD_INPUT;
            }
            line.getErr().println("latent4j " + line.getCommandName() + ": unexpected error: " + e);
            e.printStackTrace(line.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    /** A problem with what the user gave us, reported as one line and exit code 2. */
    public static final class BadInputException extends RuntimeException {
        public BadInputException(String message) {
            super(message);
        }
    }
}
