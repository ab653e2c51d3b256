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
import org.latent4j.core.train.Trainer;

class NerfExampleTest {
    private static NerfExample.Options tiny(Path dir, int steps, Trainer.Resume resume) {
        return new NerfExample.Options(6, 3, 2, steps, 32, 6, 4, 16, 1e-2, 2, 3, dir, resume, Trainer.Progress.NONE);
    }

    @Test
    void runWritesPicturesMetricsAndResumes(@TempDir Path dir) throws Exception {
        NerfExample.Result r = NerfExample.run(tiny(dir, 4, Trainer.Resume.FRESH));
        assertEquals(2, r.viewPsnr().length);
        assertTrue(Double.isFinite(r.heldOutPsnr()) && Double.isFinite(r.baselinePsnr()));
        for (String f : new String[] {"heldout.png", "depth.png", "orbit.png", "psnr.png", "loss.png"}) {
            assertNotNull(ImageIO.read(dir.resolve(f).toFile()), f + " is not a readable PNG");
        }
        String json = Files.readString(dir.resolve("metrics.json"));
        assertTrue(json.contains("heldout_psnr_view1") && json.contains("mean_colour_baseline_psnr"), json);
        assertTrue(Files.exists(dir.resolve("index.html")));
        assertTrue(Files.exists(dir.resolve("checkpoint/model.safetensors")));

        NerfExample.Result more = NerfExample.run(tiny(dir, 6, Trainer.Resume.LATEST));
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"start_step\" : 4")
                || Files.readString(dir.resolve("metrics.json")).contains("\"start_step\":4"),
                Files.readString(dir.resolve("metrics.json")));
        // the learning rate is cosine-decayed over the run's total, so a run extended from 4 to 6 steps is not the
        // same trajectory as one of 6; it does pick up the model, optimizer and Rng at step 4 and log steps 4 and 5
        assertEquals(7, Files.readAllLines(dir.resolve("metrics.csv")).size());
        assertTrue(Double.isFinite(more.heldOutPsnr()));
    }

    @Test
    void commandRejectsBadOptionsWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "nerf", "--size", "1");
        assertEquals(Cli.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("size must be >= 2"), err::toString);
    }
}
