package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.ops.Losses;
import org.latent4j.core.optim.AdamW;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.diffusion.Condition;
import org.latent4j.diffusion.DdimSampler;
import org.latent4j.diffusion.NoiseSchedule;
import org.latent4j.diffusion.Prediction;
import org.latent4j.diffusion.StepListener;
import org.latent4j.diffusion.UNet;
import org.latent4j.diffusion.UNetConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The denoising hot loop on {@link UNetConfig#benchmark()} (3×32×32, base 64, mults (1,2,2), two residual
 * blocks per level, attention at 8×8) at batch 16: one forward without gradients (a sampling step), one
 * training step (forward, MSE loss, backward, AdamW), and a whole DDIM-50 sampling (η = 0) of 16 images.
 * The PyTorch twin in {@code benchmarks/pytorch/diffusion_twin.py} times the same three.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class UnetBenchmark {
    /** Batch and image shape; the model is always {@link UNetConfig#benchmark()}. */
    @Param({"16,3,32,32"})
    public String shape;

    private UNet model;
    private AdamW optimizer;
    private DdimSampler ddim;
    private Tensor x;
    private Tensor t;

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        Rng rng = new Rng(5);
        model = new UNet(UNetConfig.benchmark().withImage((int) s[2], (int) s[1]), rng);
        optimizer = new AdamW(model.parameters(), AdamW.defaults().withLr(1e-4));
        ddim = new DdimSampler(NoiseSchedule.linear(1000), Prediction.EPSILON, 50, 0.0);
        x = Tensor.wrap(BenchArrays.uniform(rng, -1, 1, s));
        long[] steps = new long[(int) s[0]];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = rng.nextInt(1000);
        }
        t = Tensor.ofLongs(steps, steps.length);
        System.out.println("UnetBenchmark: " + model.numParameters() + " parameters");
    }

    /** One sampling step: a forward under no-grad, intermediates freed by the arena. */
    @Benchmark
    public float forward() {
        try (Arena arena = Arena.open(); GradMode.Scope ng = GradMode.noGrad()) {
            return model.forward(x, t, null, null).value().getFloat(0);
        }
    }

    /** Forward, MSE against the input, backward, AdamW. */
    @Benchmark
    public double trainStep() {
        try (Arena arena = Arena.open()) {
            Tensor loss = Losses.mse(model.forward(x, t, null, null), x);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    /** {@link #forward} with conv2d on ND4J's conv2d ops instead of oneDNN's primitives called directly (A/B). */
    @Benchmark
    public float nd4jConvForward() {
        Kernels.setOneDnnConvolution(false);
        try {
            return forward();
        } finally {
            Kernels.setOneDnnConvolution(true);
        }
    }

    /** {@link #trainStep} with conv2d on ND4J's conv2d ops (A/B). */
    @Benchmark
    public double nd4jConvTrainStep() {
        Kernels.setOneDnnConvolution(false);
        try {
            return trainStep();
        } finally {
            Kernels.setOneDnnConvolution(true);
        }
    }

    /** 50 DDIM steps (η = 0) from fixed noise to 16 images. */
    @Benchmark
    public float ddim50() {
        Tensor out = ddim.sample(model, Condition.NONE, x, new Rng(0), StepListener.NONE);
        float v = out.value().getFloat(0);
        out.close();
        return v;
    }
}
