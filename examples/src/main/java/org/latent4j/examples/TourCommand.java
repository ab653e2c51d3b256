package org.latent4j.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The command of a tour ({@link CoreTour}, {@link DataTour}): one option, the run directory; every other setting
 * keeps its default, and the tour's values are printed as {@code name value} rows.
 */
abstract class TourCommand implements Callable<Integer> {
    @Option(names = "--out", description = "run directory (default ${DEFAULT-VALUE})")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    TourCommand(Path defaultOut) {
        out = defaultOut;
    }

    /** Runs the tour with its defaults but {@code out} and returns the values to print. */
    abstract Map<String, ?> tour(Path out);

    @Override
    public Integer call() {
        Cli.printValues(spec.commandLine().getOut(), tour(out));
        return 0;
    }
}
