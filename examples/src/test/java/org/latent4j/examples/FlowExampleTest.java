package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.train.Trainer;

class FlowExampleTest {
    private static FlowExample.Options tiny(String data, String model, int steps, Path dir, Trainer.Resume resume) {
        return new FlowExample.Options(data, model, steps, 32, 3e-3, 0, dir, resume, Trainer.Progress.NONE);
    }

    @Test
    void moonsRunWritesDensitySamplesLatentPlotsMetricsAndResumes(@TempDir Path dir) throws Exception {
        FlowExample.Result r = FlowExample.run(tiny("moons", "realnvp", 4, dir, Trainer.Resume.FRESH));
        assertTrue(Double.isFinite((Double) r.metrics().get("held-out nll (nats)")), r.metrics()::toString);
        assertTrue(r.metrics().containsKey("best Gaussian held-out nll (nats)"));
        for (String png : new String[] {"density.png", "data.png", "samples.png", "latent.png", "loss.png"}) {
            assertNotNull(ImageIO.read(dir.resolve(png).toFile()), png + " is a readable PNG");
        }
        for (String f : new String[] {"metrics.json", "metrics.csv", "index.html", "checkpoint/model.safetensors"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        // resume to a longer run continues from step 4
        FlowExample.run(tiny("moons", "realnvp", 6, dir, Trainer.Resume.LATEST));
        String json = Files.readString(dir.resolve("metrics.json"));
        assertTrue(json.contains("\"start_step\" : 4") || json.contains("\"start_step\":4"), json);
    }

    @Test
    void mafAndDigitsRunsWriteTheirPictures(@TempDir Path dir) throws Exception {
        FlowExample.run(tiny("moons", "maf", 2, dir.resolve("maf"), Trainer.Resume.FRESH));
        assertNotNull(ImageIO.read(dir.resolve("maf/density.png").toFile()));
        FlowExample.Result r = FlowExample.run(tiny("digits", "realnvp", 2, dir.resolve("digits"),
                Trainer.Resume.FRESH));
        assertNotNull(ImageIO.read(dir.resolve("digits/samples.png").toFile()));
        assertTrue(r.metrics().containsKey("held-out bits/dim"), r.metrics()::toString);
        assertTrue(r.metrics().containsKey("independent-pixel bits/dim"));
        assertEquals(0, new picocli.CommandLine(new FlowCommand()).execute("--steps", "2", "--batch-size", "16",
                "--out", dir.resolve("cli").toString()));
    }
}
