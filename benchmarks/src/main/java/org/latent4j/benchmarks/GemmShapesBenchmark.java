package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
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
 * 2-D sgemm (m×k)·(k×n) on every path side by side, for choosing the seam's thresholds: {@code seam} (what ops
 * get), {@code java} (the Vector API sgemm), {@code dnnl} (oneDNN's {@code dnnl_sgemm} on the buffers) and
 * {@code nd4jMmul} (ND4J's Mmul custom op with its transpose flags). {@code shape} is {@code m x k x n / layout}:
 * NN plain, NT with B stored (n, k) (a linear layer's x·Wᵀ), TN with A stored (k, m) (its weight gradient gᵀ·x).
 * The defaults are the square sizes and the baby GPT's training-step products (768 rows = batch 12 × 64 tokens,
 * width 128, MLP 512, qkv 384, vocabulary 65). Not in {@code benchmarks/compare}'s run (too many cases):
 * run it by hand, with {@code OMP_NUM_THREADS=1} and {@code -jvmArgsAppend -XX:ActiveProcessorCount=1} for one
 * thread. GFLOPS = 2mkn / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GemmShapesBenchmark {
    @Param({"256x256x256/NN", "512x512x512/NN", "1024x1024x1024/NN", "2048x2048x2048/NN",
            "768x128x384/NT", "768x128x512/NT", "768x512x128/NT", "768x128x128/NT", "768x128x65/NT",
            "768x384x128/NN", "768x512x128/NN", "768x128x512/NN",
            "384x768x128/TN", "512x768x128/TN", "128x768x512/TN"})
    public String shape;

    private INDArray a;
    private INDArray b;
    private INDArray c;
    private INDArray aStored;
    private INDArray bStored;
    private MMulTranspose flags;
    private boolean transposedB;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split("[x/]");
        long m = Long.parseLong(p[0]);
        long k = Long.parseLong(p[1]);
        long n = Long.parseLong(p[2]);
        String layout = p[3];
        Rng rng = new Rng(3);
        boolean ta = layout.charAt(0) == 'T';
        transposedB = layout.charAt(1) == 'T';
        aStored = ta ? BenchArrays.uniform(rng, -1, 1, k, m) : BenchArrays.uniform(rng, -1, 1, m, k);
        bStored = transposedB ? BenchArrays.uniform(rng, -1, 1, n, k) : BenchArrays.uniform(rng, -1, 1, k, n);
        a = ta ? aStored.transpose() : aStored;   // (m, k)
        b = transposedB ? bStored.transpose() : bStored; // (k, n)
        c = BenchArrays.zeros(m, n);
        flags = MMulTranspose.builder().transposeA(ta).transposeB(transposedB).build();
    }

    @Benchmark
    public INDArray seam() {
        if (transposedB) {
            Kernels.matmulTransposedB(a, bStored, c);
        } else {
            Kernels.matmul(a, b, c);
        }
        return c;
    }

    @Benchmark
    public INDArray java() {
        Kernels.javaMatmul(a, b, c);
        return c;
    }

    @Benchmark
    public INDArray dnnl() {
        Kernels.dnnlMatmul(a, b, c);
        return c;
    }

    @Benchmark
    public INDArray nd4jMmul() {
        Nd4j.exec(new Mmul(aStored, bStored, c, flags));
        return c;
    }
}
