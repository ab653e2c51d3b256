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

/**
 * sgemm n×n×n into a preallocated output: {@code seam} is what ops get ({@link Kernels#matmul}: oneDNN's
 * {@code dnnl_sgemm} in blocks on the kernel threads where its natives load, else the Java sgemm up to 2^28
 * multiply-adds and ND4J's Mmul custom op above), {@code javaSgemm} the Vector API kernel whatever the size,
 * {@code javaSgemmTransposedB} the same reading B as a transposed view (Linear's x·Wᵀ), {@code nd4jMmul} ND4J's Mmul
 * custom op (oneDNN's matmul on its own OpenMP threads). GFLOPS = 2n³ / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class MatmulBenchmark {
    @Param({"256", "512", "1024", "2048"})
    public int n;

    private INDArray a;
    private INDArray b;
    private INDArray c;
    private INDArray bt;

    @Setup(Level.Trial)
    public void setup() {
        Rng rng = new Rng(1);
        a = BenchArrays.uniform(rng, -1, 1, n, n);
        b = BenchArrays.uniform(rng, -1, 1, n, n);
        c = BenchArrays.zeros(n, n);
        bt = BenchArrays.uniform(rng, -1, 1, n, n).transpose();
    }

    @Benchmark
    public INDArray seam() {
        Kernels.matmul(a, b, c);
        return c;
    }

    @Benchmark
    public INDArray javaSgemm() {
        Kernels.javaMatmul(a, b, c);
        return c;
    }

    @Benchmark
    public INDArray nd4jMmul() {
        Nd4j.exec(new Mmul(a, b, c, null));
        return c;
    }

    @Benchmark
    public INDArray javaSgemmTransposedB() {
        Kernels.javaMatmul(a, bt, c);
        return c;
    }
}
