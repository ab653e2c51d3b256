package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.ops.Convolution;
import org.latent4j.core.ops.Convolution.ConvTranspose2dOptions;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * A DCGAN generator's up-sampling layer, forward and backward with autograd: {@code convTranspose2d} of
 * (N, C_in, H, W) with a 4×4 kernel, stride 2, padding 1, into (N, C_out, 2H, 2W), bias included, every input
 * requiring its gradient; the step's memory freed by an arena. {@code forwardBackward} is the library's path
 * (oneDNN's convolution primitives, as the input gradient of the convolution it transposes);
 * {@code nd4jForwardBackward} ND4J's {@code deconv2d}/{@code deconv2d_bp}, which it ran before. PyTorch runs the same
 * step (bench.py).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvTranspose2dBenchmark {
    /** N,C_in,H,W,C_out */
    @Param({"64,128,8,8,64"})
    public String shape;

    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor r;
    private final ConvTranspose2dOptions options = ConvTranspose2dOptions.of(2, 1);

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        Rng rng = new Rng(8);
        x = Tensor.wrap(BenchArrays.uniform(rng, -1, 1, s[0], s[1], s[2], s[3])).requireGrad();
        w = Tensor.wrap(BenchArrays.uniform(rng, -0.1, 0.1, s[1], s[4], 4, 4)).requireGrad();
        b = Tensor.wrap(BenchArrays.uniform(rng, -0.1, 0.1, s[4])).requireGrad();
        r = Tensor.wrap(BenchArrays.uniform(rng, -1, 1, s[0], s[4], 2 * s[2], 2 * s[3]));
    }

    @TearDown(Level.Trial)
    public void restore() {
        Kernels.setOneDnnConvolution(true);
    }

    @Benchmark
    public Tensor forwardBackward() {
        return step();
    }

    @Benchmark
    public Tensor nd4jForwardBackward() {
        Kernels.setOneDnnConvolution(false);
        try {
            return step();
        } finally {
            Kernels.setOneDnnConvolution(true);
        }
    }

    private Tensor step() {
        x.clearGrad();
        w.clearGrad();
        b.clearGrad();
        try (Arena arena = Arena.open()) {
            Convolution.convTranspose2d(x, w, b, options).mul(r).sum().backward();
        }
        return w.grad();
    }
}
