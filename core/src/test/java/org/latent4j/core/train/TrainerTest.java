package org.latent4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.optim.Adam;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

class TrainerTest {
    /** A linear regression y = x·w + noise, batches drawn from the trainer's Rng. */
    private static final class Regression {
        final Linear model;
        final Adam optimizer;
        final Rng rng;

        Regression(long initSeed, long dataSeed) {
            model = new Linear(3, 1, new Rng(initSeed));
            optimizer = new Adam(model.parameters(), Adam.Options.defaults().withLr(0.05));
            rng = new Rng(dataSeed);
        }

        Trainer trainer(Trainer.Options options) {
            return new Trainer(options, model, optimizer, rng, null);
        }

        Map<String, Double> step(long step) {
            float[] x = new float[4 * 3];
            float[] y = new float[4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 3; j++) {
                    x[3 * i + j] = (float) rng.nextGaussian();
                    y[i] += x[3 * i + j] * (j + 1);
                }
                y[i] += (float) (0.1 * rng.nextGaussian());
            }
            Tensor d = model.forward(Tensor.of(x, 4, 3)).sub(Tensor.of(y, 4, 1));
            Tensor loss = d.mul(d).mean();
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return Map.of("loss", loss.item());
        }
    }

    private static Trainer.Options quiet(Path dir, long steps) {
        return Trainer.Options.of(dir, steps).withLogEvery(0).withProgress(Trainer.Progress.NONE);
    }

    @Test
    void aRunResumedAfterACrashContinuesTheExactSameLossTrajectory(@TempDir Path dir) {
        Regression straight = new Regression(1, 7);
        straight.trainer(quiet(dir.resolve("a"), 8)).fit(straight::step);
        double[] expected = MetricsLog.resume(dir.resolve("a"), Long.MAX_VALUE).values("loss");

        Regression crashing = new Regression(1, 7);
        Trainer.Options opts = quiet(dir.resolve("b"), 8).withCheckpointEvery(3);
        assertThrows(IllegalStateException.class, () -> crashing.trainer(opts).fit(step -> {
            if (step == 5) {
                throw new IllegalStateException("simulated crash");
            }
            return crashing.step(step);
        }));

        Regression resumed = new Regression(99, 99);   // different init and data stream: all must come from the checkpoint
        Trainer.Result r = resumed.trainer(opts.withResume(Trainer.Resume.LATEST)).fit(resumed::step);
        assertEquals(3, r.startStep());
        assertArrayEquals(expected, MetricsLog.resume(dir.resolve("b"), Long.MAX_VALUE).values("loss"));
        assertArrayEquals(straight.model.weight().toFloatArray(), resumed.model.weight().toFloatArray());
    }

    @Test
    void aFinishedRunLeavesCsvJsonAndLossCurve(@TempDir Path dir) throws Exception {
        Regression reg = new Regression(1, 2);
        Trainer trainer = reg.trainer(quiet(dir, 5));
        Trainer.Result r = trainer.fit(reg::step);
        assertEquals(5, r.steps());
        assertEquals(6, Files.readAllLines(dir.resolve(MetricsLog.CSV)).size());
        trainer.writeSummary(Map.of("accuracy", 0.5));
        String json = Files.readString(dir.resolve(MetricsLog.JSON));
        assertTrue(json.contains("\"accuracy\" : 0.5") && json.contains("\"final\""), json);
        assertTrue(Files.size(dir.resolve("loss.png")) > 0);
    }

    @Test
    void tensorsMadeInsideAStepAreFreedWhenItReturns(@TempDir Path dir) {
        Regression reg = new Regression(1, 2);
        Tensor[] made = new Tensor[1];
        reg.trainer(quiet(dir, 1)).fit(step -> {
            made[0] = Tensor.zeros(2, 2);
            return reg.step(step);
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> made[0].value());
        assertTrue(e.getMessage().contains("Arena"), e.getMessage());
    }

    @Test
    void badOptionsAreRejected(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.Options.of(dir, -1));
        assertTrue(e.getMessage().startsWith("Trainer.Options: steps"), e.getMessage());
    }
}
