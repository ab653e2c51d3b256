package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
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

/** Softmax over the last axis into a preallocated output: the seam against ND4J's (oneDNN) softmax op. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class SoftmaxBenchmark {
    @Param({"1,8,2048,2048", "8,8,128,128"})
    public String shape;

    private INDArray x;
    private INDArray y;

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        x = BenchArrays.uniform(new Rng(3), -5, 5, s);
        y = BenchArrays.zeros(s);
    }

    @Benchmark
    public INDArray seam() {
        Kernels.softmaxLastAxis(x, y);
        return y;
    }

    @Benchmark
    public INDArray nd4j() {
        Nd4j.exec(new SoftMax(x, y, x.rank() - 1));
        return y;
    }
}
