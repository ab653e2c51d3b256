package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-op cost with autograd on: {@code (a + b).sum().backward()} on 16×16 float32 leaves that require grad,
 * intermediates freed by an arena each step, gradients cleared. PyTorch runs the same step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class OpOverheadBenchmark {
    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setup() {
        Rng rng = new Rng(7);
        a = Tensor.wrap(BenchArrays.uniform(rng, -1, 1, 16, 16)).requireGrad();
        b = Tensor.wrap(BenchArrays.uniform(rng, -1, 1, 16, 16)).requireGrad();
    }

    @Benchmark
    public Tensor addBackward() {
        a.clearGrad();
        b.clearGrad();
        try (Arena arena = Arena.open()) {
            a.add(b).sum().backward();
        }
        return a.grad();
    }
}
