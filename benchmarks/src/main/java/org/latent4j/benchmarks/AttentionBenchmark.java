package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.AttentionCausality;
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

/** Causal scaled-dot-product attention (B,H,T,D) through the seam: forward, and forward + backward. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class AttentionBenchmark {
    @Param({"12,4,64,32", "8,8,128,64", "4,8,512,64", "1,8,2048,64"})
    public String shape;

    private INDArray q;
    private INDArray k;
    private INDArray v;
    private INDArray out;
    private INDArray lse;
    private INDArray g;
    private INDArray dq;
    private INDArray dk;
    private INDArray dv;

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        Rng rng = new Rng(5);
        q = BenchArrays.uniform(rng, -1, 1, s);
        k = BenchArrays.uniform(rng, -1, 1, s);
        v = BenchArrays.uniform(rng, -1, 1, s);
        g = BenchArrays.uniform(rng, -1, 1, s);
        out = BenchArrays.zeros(s);
        dq = BenchArrays.zeros(s);
        dk = BenchArrays.zeros(s);
        dv = BenchArrays.zeros(s);
        lse = BenchArrays.zeros(s[0], s[1], s[2]);
    }

    @Benchmark
    public INDArray forward() {
        Kernels.attentionForward(q, k, v, AttentionCausality.CAUSAL, null, out, lse);
        return out;
    }

    @Benchmark
    public INDArray forwardBackward() {
        Kernels.attentionForward(q, k, v, AttentionCausality.CAUSAL, null, out, lse);
        Kernels.attentionBackward(q, k, v, out, g, lse, AttentionCausality.CAUSAL, null, dq, dk, dv);
        return dq;
    }
}
