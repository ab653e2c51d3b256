package org.latent4j.core.ops;

import java.util.Arrays;
import java.util.function.BinaryOperator;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * A by-hand A/B timing of small float32 elementwise ops: the Java loops of {@link HostLoops} against ND4J's
 * ops, interleaved in one process (the machine is shared, so only same-process ratios mean anything), each
 * op inside its own {@link Arena} with autograd recording on. Not a test and not a benchmark of record (JMH
 * owns those); run it with
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes:$(cat cp.txt)
 * org.latent4j.core.ops.SmallOpTiming}.
 */
public final class SmallOpTiming {
    private static final int ROUNDS = 21;
    private static final int CALLS = 400;

    private SmallOpTiming() {
    }

    public static void main(String[] args) {
        Rng rng = new Rng(1);
        long[][] shapes = {{16, 16}, {64, 64}, {128, 128}};
        String[] names = {"add", "mul", "add_scalar", "exp", "tanh", "sigmoid", "relu"};
        BinaryOperator<Tensor>[] ops = ops();
        System.out.printf("%-11s %-9s %12s %12s %7s%n", "op", "shape", "nd4j_us", "java_us", "ratio");
        for (long[] shape : shapes) {
            Tensor x = random(rng, shape).requireGrad();
            Tensor y = random(rng, shape).requireGrad();
            for (int o = 0; o < ops.length; o++) {
                double[] nd4j = new double[ROUNDS];
                double[] java = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    // alternate which path goes first so drift in the machine's load hits both alike
                    boolean javaFirst = r % 2 == 0;
                    double first = time(ops[o], x, y, javaFirst);
                    double second = time(ops[o], x, y, !javaFirst);
                    java[r] = javaFirst ? first : second;
                    nd4j[r] = javaFirst ? second : first;
                }
                double mn = median(nd4j);
                double mj = median(java);
                System.out.printf("%-11s %-9s %12.2f %12.2f %7.2f%n", names[o], shape[0] + "x" + shape[1], mn, mj,
                        mj / mn);
            }
        }
        HostLoops.enabled = true;
    }

    @SuppressWarnings("unchecked")
    private static BinaryOperator<Tensor>[] ops() {
        return new BinaryOperator[] {
            (BinaryOperator<Tensor>) Elementwise::add,
            (BinaryOperator<Tensor>) Elementwise::mul,
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.add(a, 0.5),
            (BinaryOperator<Tensor>) (a, b) -> Elementwise.exp(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.tanh(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.sigmoid(a),
            (BinaryOperator<Tensor>) (a, b) -> Activations.relu(a)
        };
    }

    /** Microseconds per call, each call in its own arena (so outputs come from the pool). */
    private static double time(BinaryOperator<Tensor> op, Tensor x, Tensor y, boolean javaLoops) {
        HostLoops.enabled = javaLoops;
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            try (Arena arena = Arena.open()) {
                op.apply(x, y);
            }
        }
        return (System.nanoTime() - start) / 1e3 / CALLS;
    }

    private static Tensor random(Rng rng, long[] shape) {
        float[] d = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextFloat() * 4 - 2;
        }
        return Tensor.of(d, shape);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
