package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.data.Digits;
import org.latent4j.core.data.FashionMnist;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.train.Trainer;

class VaeExampleTest {
    private static VaeExample.Options tiny(Path dir, int latent, String condition, int steps, Trainer.Resume resume) {
        return new VaeExample.Options("digits", "mlp", latent, 1.0, condition, steps, 16, 2e-3, 3, 64, 1, dir, resume,
                Trainer.Progress.NONE);
    }

    @Test
    void twoDimensionalLatentRunWritesPicturesMetricsAndResumes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of(Digits.DEBIAN_FILE)), "python3-sklearn's digits are not installed");
        VaeExample.Result r = VaeExample.run(tiny(dir, 2, "none", 4, Trainer.Resume.FRESH));
        assertTrue(Double.isFinite(r.heldOutElbo()) && Double.isFinite(r.importanceWeighted()), r::toString);
        assertTrue(r.kl() >= 0, r::toString);
        for (String f : new String[] {"reconstructions.png", "samples.png", "interpolation.png", "latent.png",
            "latent-map.png", "loss.png", "elbo.png"}) {
            BufferedImage img = ImageIO.read(dir.resolve(f).toFile());
            assertTrue(img != null && img.getWidth() > 0, f + " is not a PNG");
        }
        for (String f : new String[] {"metrics.json", "metrics.csv", "index.html", "checkpoint/model.safetensors"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        String json = Files.readString(dir.resolve("metrics.json"));
        assertTrue(json.contains("held-out IW log-likelihood (nats)") && json.contains("held-out IW bits/dim"), json);

        VaeExample.Result resumed = VaeExample.run(tiny(dir, 2, "none", 6, Trainer.Resume.LATEST));
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(4, doc.get("start_step").asLong(), "the second run continues from the checkpoint at step 4");
        assertEquals(6, doc.get("steps").asLong());
        assertTrue(Double.isFinite(resumed.heldOutElbo()));
    }

    @Test
    void conditionalRunDrawsOneRowPerClass(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of(Digits.DEBIAN_FILE)), "python3-sklearn's digits are not installed");
        VaeExample.run(tiny(dir, 3, "label", 2, Trainer.Resume.FRESH));
        BufferedImage samples = ImageIO.read(dir.resolve("samples.png").toFile());
        BufferedImage recon = ImageIO.read(dir.resolve("reconstructions.png").toFile());
        assertTrue(samples.getHeight() > 4 * recon.getHeight(), "10 rows of samples against 2 of reconstructions");
        assertTrue(Files.notExists(dir.resolve("latent.png")), "no latent scatter for a 3-D latent");
    }

    @Test
    void convolutionalFashionMnistRunWritesPictures(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)), "dataset-fashion-mnist is not installed");
        VaeExample.Result r = VaeExample.run(new VaeExample.Options("fashion-mnist", "conv", 0, 1.0, "none", 2, 8, 1e-3,
                2, 32, 1, dir, Trainer.Resume.FRESH, Trainer.Progress.NONE));
        assertTrue(Double.isFinite(r.heldOutElbo()), r::toString);
        for (String f : new String[] {"reconstructions.png", "samples.png", "interpolation.png"}) {
            assertTrue(ImageIO.read(dir.resolve(f).toFile()).getWidth() > 28, f);
        }
    }

    /** The built-in figures need no download: what the demo trains on. */
    @Test
    void builtInShapesRunWritesPicturesWithNoDataInstalled(@TempDir Path dir) throws Exception {
        VaeExample.Result r = VaeExample.run(new VaeExample.Options("shapes", "mlp", 0, 1.0, "label", 3, 16, 2e-3, 2,
                64, 1, dir, Trainer.Resume.FRESH, Trainer.Progress.NONE));
        // a Bernoulli likelihood needs pixels in [0, 1] (the dataset's [-1, 1] made the demo's run diverge to an ELBO
        // of +2.5e9 nats); then the ELBO is below 0, and near a coin per pixel (256 ln 2 = 177 nats) this early
        VaeExample.Data data = VaeExample.load(new VaeExample.Options("shapes", "mlp", 0, 1.0, "none", 1, 16, 2e-3,
                2, 0, 1, dir, Trainer.Resume.FRESH, Trainer.Progress.NONE), new Rng(1));
        for (Tensor images : new Tensor[] {data.trainX(), data.testX()}) {
            assertEquals(List.of(1L, 16L, 16L), List.of(images.shape()[1], images.shape()[2], images.shape()[3]));
            double[] v = images.toDoubleArray();
            assertTrue(Arrays.stream(v).min().getAsDouble() >= 0 && Arrays.stream(v).max().getAsDouble() <= 1,
                    "pixels in [0, 1]");
            assertTrue(Arrays.stream(v).max().getAsDouble() > 0.5, "figures are drawn");
        }
        assertTrue(r.heldOutElbo() < 0 && r.heldOutElbo() > -400, r::toString);
        assertTrue(r.importanceWeighted() < 0 && r.importanceWeighted() > -400, r::toString);
        BufferedImage recon = ImageIO.read(dir.resolve("reconstructions.png").toFile());
        assertTrue(recon.getWidth() >= 16 * 2, "16x16 figures side by side");
        BufferedImage samples = ImageIO.read(dir.resolve("samples.png").toFile());
        assertTrue(samples.getHeight() > 2 * recon.getHeight(), "one row of samples per figure (6) against 2 rows");
    }

    @Test
    void badOptionsAreRejectedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new VaeExample.Options("mnist", "mlp", 0, 1, "none",
                1, 1, 1e-3, 1, 0, 0, Path.of("x"), Trainer.Resume.FRESH, Trainer.Progress.NONE));
        assertEquals("vae: --data must be digits, fashion-mnist or shapes, got mnist", e.getMessage());
    }
}
