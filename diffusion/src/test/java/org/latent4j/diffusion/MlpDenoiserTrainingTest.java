package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.latent4j.core.io.SafeTensors;
import org.latent4j.core.nn.Module;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.optim.Ema;
import org.latent4j.core.optim.GradClip;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

/**
 * A few steps of the 2-D recipe (ε-loss, AdamW lr 2e-3, gradient clip 1, EMA 0.999 with warmup) from the
 * PyTorch twin's weights and batches, in float64: every loss, the first step's gradients, and the weights and
 * their average at the end must match ({@code diffusion_twin.py fixture2d}).
 */
class MlpDenoiserTrainingTest {
    private static Map<String, Tensor> fixture(String file) throws Exception {
        return SafeTensors.load(path(file));
    }

    private static Path path(String file) throws URISyntaxException {
        return Path.of(MlpDenoiserTrainingTest.class.getResource("/fixtures/mlp_train/" + file).toURI());
    }

    @Test
    void trainingStepsMatchThePyTorchTwin() throws Exception {
        MlpDenoiser model = new MlpDenoiser(MlpDenoiserConfig.tiny(), DType.FLOAT64, new Rng(0));
        model.loadStateDict(fixture("init.safetensors"), Module.LoadMode.STRICT);
        Map<String, Tensor> f = fixture("steps.safetensors");
        DiffusionLoss loss = new DiffusionLoss(NoiseSchedule.linear(1000), Prediction.EPSILON);
        AdamW opt = new AdamW(model.parameters(), AdamW.defaults().withLr(2e-3).withWeightDecay(0));
        Ema ema = new Ema(model, Ema.Options.of(0.999).withWarmup());
        long[] shape = f.get("x0").shape();                                    // (steps, B, 2)
        int steps = (int) shape[0];
        int b = (int) shape[1];
        double[] x0 = f.get("x0").toDoubleArray();
        long[] t = f.get("t").toLongArray();
        double[] noise = f.get("noise").toDoubleArray();
        double[] expectedLoss = f.get("loss").toDoubleArray();
        for (int i = 0; i < steps; i++) {
            Tensor xi = Tensor.of(Arrays.copyOfRange(x0, i * b * 2, (i + 1) * b * 2), b, 2);
            Tensor ti = Tensor.ofLongs(Arrays.copyOfRange(t, i * b, (i + 1) * b), b);
            Tensor ni = Tensor.of(Arrays.copyOfRange(noise, i * b * 2, (i + 1) * b * 2), b, 2);
            Tensor l = loss.compute(model, xi, Condition.NONE, ti, ni);
            opt.zeroGrad();
            l.backward();
            assertEquals(expectedLoss[i], l.item(), 1e-9 * Math.abs(expectedLoss[i]), "loss of step " + i);
            if (i == 0) {
                model.namedParameters().forEach((name, p) ->
                        TensorAssert.assertClose(f.get("grad." + name), p.grad(), 1e-7, 1e-10));
            }
            GradClip.clipGradNorm(model.parameters(), 1.0);
            opt.step();
            ema.update();
        }
        model.namedParameters().forEach((name, p) -> TensorAssert.assertClose(f.get("param." + name), p, 1e-7, 1e-9));
        ema.copyTo(model);
        model.namedParameters().forEach((name, p) -> TensorAssert.assertClose(f.get("ema." + name), p, 1e-7, 1e-9));
    }
}
