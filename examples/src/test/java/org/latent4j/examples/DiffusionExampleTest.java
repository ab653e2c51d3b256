package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.Npy;
import picocli.CommandLine;

class DiffusionExampleTest {
    @Test
    void twoDimensionalRunWritesSamplesPicturesMetricsAndACheckpoint(@TempDir Path dir) throws Exception {
        var r = DiffusionExample.run(new DiffusionExample.Options("moons", "tiny", "none", 5, 20, 40, 1, 3, dir, 0, 0, 0,
                null, 0));
        assertTrue(r.metrics().containsKey("energy distance ddim50"), r.metrics()::toString);
        for (String f : new String[] {"samples.npy", "samples-ddim50.npy", "samples.png", "strip.png", "loss.png",
            "metrics.json", "index.html", "checkpoint/model.safetensors"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertArrayEquals(new long[] {40, 2}, Npy.read(dir.resolve("samples.npy")).shape());

        Path out = dir.resolve("more.npy");
        int code = new CommandLine(new DiffusionCommand()).execute("sample", "--checkpoint", dir.toString(),
                "--sampler", "ddim", "--steps", "5", "--n", "7", "--out", out.toString());
        assertEquals(0, code);
        assertArrayEquals(new long[] {7, 2}, Npy.read(out).shape());
    }

    @Test
    void captionConditionedShapesRunSamplesARequestedCaption(@TempDir Path dir) throws Exception {
        var r = DiffusionExample.run(new DiffusionExample.Options("shapes", "tiny", "caption", 2, 4, 4, 3, 1, dir, 4,
                0, 1, null, 3));
        assertTrue(Files.exists(dir.resolve("strip.png")));
        assertTrue(Files.exists(dir.resolve("classifier/model.safetensors")));
        for (String k : new String[] {"fd ddpm", "fd ddim50", "accuracy ddpm", "accuracy ddim50", "fd real vs real",
            "classifier accuracy real"}) {
            assertTrue(r.metrics().containsKey(k), k + " missing from " + r.metrics());
        }
        Path out = dir.resolve("red.npy");
        StringWriter err = new StringWriter();
        var cli = new CommandLine(new DiffusionCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("sample", "--checkpoint", dir.toString(), "--caption", "a red circle", "--n", "2",
                "--steps", "3", "--out", out.toString());
        assertEquals(0, code, err::toString);
        assertArrayEquals(new long[] {2, 3, 16, 16}, Npy.read(out).shape());
        String judged = Files.readString(dir.resolve("red.json"));
        assertTrue(judged.contains("\"accuracy samples\"") && judged.contains("\"fd samples\""), judged);
    }
}
