package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
    /** Output and exit code of one run of the tool. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: latent4j"), r.out());
    }

    @ParameterizedTest
    @CsvSource({"'', latent4j", "gpt, latent4j gpt", "diffusion, latent4j diffusion"})
    void aCommandGroupWithoutASubcommandPrintsItsUsageAndExitsZero(String args, String name) {
        Run r = args.isEmpty() ? run() : run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: " + name + " "), r.out());
        assertTrue(r.out().contains("Commands:"), r.out());
    }

    @ParameterizedTest
    @CsvSource({"tour, tour", "data-tour, data-tour"})
    void aTourOffersItsRunDirectoryWithItsDefault(String command, String dir) {
        Run r = run(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--out=<out>"), r.out());
        assertTrue(r.out().contains("run directory (default " + Path.of("runs", dir) + ")"), r.out());
    }

    @Test
    void theCoreTourWritesIntoTheGivenDirectoryAndPrintsItsValues(@TempDir Path dir) {
        Run r = run("tour", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("copy matches"), r.out());
        assertTrue(Files.exists(dir.resolve("samples.png")));
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
        Run r = run("--no-such-option");
        assertEquals(Cli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("Unknown option"), r.err());
    }

    @Test
    void anInvalidExampleSettingIsOneLineWithExitCodeTwo() {
        Run r = run("two-moons", "--steps", "0");
        assertEquals(Cli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().startsWith("latent4j two-moons: steps, batchSize, hidden must be >= 1"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
