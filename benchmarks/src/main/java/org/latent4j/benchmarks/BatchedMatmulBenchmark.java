package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
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

/** Attention-shaped batched matmul q·kᵀ: (B,H,T,64) x (B,H,64,T), the seam (Java) against ND4J's Mmul. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class BatchedMatmulBenchmark {
    /** B,H,T,D */
    @Param({"4,8,512,64"})
    public String shape;

    private INDArray q;
    private INDArray kt;
    private INDArray s;

    @Setup(Level.Trial)
    public void setup() {
        long[] p = BenchArrays.shape(shape);
        Rng rng = new Rng(2);
        q = BenchArrays.uniform(rng, -1, 1, p[0], p[1], p[2], p[3]);
        kt = BenchArrays.uniform(rng, -1, 1, p[0], p[1], p[3], p[2]);
        s = BenchArrays.zeros(p[0], p[1], p[2], p[2]);
    }

    @Benchmark
    public INDArray seam() {
        Kernels.matmul(q, kt, s);
        return s;
    }

    @Benchmark
    public INDArray nd4jMmul() {
        Nd4j.exec(new Mmul(q, kt, s, null));
        return s;
    }
}
