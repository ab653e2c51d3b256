package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.io.Checkpoint;
import org.latent4j.core.io.CheckpointState;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;

class GanExampleTest {
    private static GanExample.Options tiny(String data, int steps, Path out) {
        return new GanExample.Options(data, "non-saturating", "none", 0, steps, 16, 1e-3, 1, 0.05, 2, 200, 3, out, 3,
                Trainer.Resume.FRESH, Trainer.Progress.NONE);
    }

    private static void assertPng(Path p) throws Exception {
        assertTrue(Files.exists(p), p + " missing");
        assertNotNull(ImageIO.read(p.toFile()), p + " is not a readable PNG");
    }

    @Test
    void ringRunWritesPicturesMetricsIndexAndCheckpoint(@TempDir Path dir) throws Exception {
        GanExample.Result r = GanExample.run(tiny("ring", 6, dir));
        for (String f : new String[] {"samples-step-00003.png", "samples.png", "modes.png", "d-outputs.png",
            "loss.png"}) {
            assertPng(dir.resolve(f));
        }
        for (String f : new String[] {"metrics.json", "metrics.csv", "index.html", "checkpoint/model.safetensors"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertTrue(r.metrics().containsKey("modes_covered") && r.metrics().containsKey("high_quality_fraction"),
                r.metrics()::toString);
        String json = Files.readString(dir.resolve("metrics.json"));
        assertTrue(json.contains("d_real") && json.contains("g_loss") && json.contains("mode_counts"), json);
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        GanExample.run(tiny("ring", 6, dir.resolve("whole")));
        GanExample.run(tiny("ring", 3, dir.resolve("split")));
        GanExample.run(tiny("ring", 6, dir.resolve("split")).withResume(Trainer.Resume.LATEST));
        CheckpointState a = Checkpoint.load(dir.resolve("whole/checkpoint"));
        CheckpointState b = Checkpoint.load(dir.resolve("split/checkpoint"));
        assertEquals(6, b.step());
        assertEquals(a.model().keySet(), b.model().keySet());
        assertTrue(a.model().containsKey("generator.net.0.weight") && a.model().containsKey("discriminator.net.0.weight"));
        a.model().forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v.toFloatArray(),
                b.model().get(k).toFloatArray(), k));
        assertEquals(a.optimizer().keySet(), b.optimizer().keySet());
        for (String k : a.optimizer().keySet()) {
            Tensor x = a.optimizer().get(k);
            org.junit.jupiter.api.Assertions.assertArrayEquals(x.toDoubleArray(), b.optimizer().get(k).toDoubleArray(),
                    k);
        }
        assertTrue(a.optimizer().keySet().stream().anyMatch(k -> k.startsWith("state.generator."))
                && a.optimizer().keySet().stream().anyMatch(k -> k.startsWith("state.discriminator.")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.rngState(), b.rngState());
    }

    @Test
    void digitsRunWritesImageGrids(@TempDir Path dir) throws Exception {
        GanExample.run(new GanExample.Options("digits", "hinge", "none", 0, 2, 8, 2e-4, 1, 0.05, 1, 16, 1, dir, 0,
                Trainer.Resume.FRESH, Trainer.Progress.NONE));
        assertPng(dir.resolve("samples.png"));
        assertPng(dir.resolve("data.png"));
        assertPng(dir.resolve("d-outputs.png"));
    }

    @Test
    void commandRejectsAnUnknownDatasetWithExitCode2() {
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "gan", "--data", "moons");
        assertEquals(Cli.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("--data must be ring, grid or digits, got moons"), err::toString);
    }
}
