package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/** Layer norm over the last axis with weight and bias, (64·128, 512): forward, and forward + backward. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class LayerNormBenchmark {
    @Param({"8192,512"})
    public String shape;

    private INDArray x;
    private INDArray w;
    private INDArray b;
    private INDArray y;
    private INDArray mean;
    private INDArray rstd;
    private INDArray g;
    private INDArray dx;
    private INDArray dw;
    private INDArray db;

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        Rng rng = new Rng(4);
        x = BenchArrays.uniform(rng, -2, 2, s);
        g = BenchArrays.uniform(rng, -1, 1, s);
        w = BenchArrays.uniform(rng, 0.5, 1.5, s[1]);
        b = BenchArrays.uniform(rng, -1, 1, s[1]);
        y = BenchArrays.zeros(s);
        dx = BenchArrays.zeros(s);
        mean = BenchArrays.zeros(s[0]);
        rstd = BenchArrays.zeros(s[0]);
        dw = BenchArrays.zeros(s[1]);
        db = BenchArrays.zeros(s[1]);
    }

    @Benchmark
    public INDArray forward() {
        Kernels.layerNormLastAxis(x, w, b, 1e-5, y, mean, rstd);
        return y;
    }

    @Benchmark
    public INDArray forwardBackward() {
        Kernels.layerNormLastAxis(x, w, b, 1e-5, y, mean, rstd);
        Kernels.layerNormLastAxisBackward(x, g, w, mean, rstd, dx, dw, db);
        return dx;
    }
}
