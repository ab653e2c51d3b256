package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Broadcasts too large for {@link HostLoops} (more than 2^19 elements), which run ND4J's broadcastable assign:
 * expand (forward and the backward of sum and mean) and where, against the value computed index by index.
 */
class LargeBroadcastTest {
    private static final long[] BIG = {8, 16, 72, 72}; // 663,552 elements

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of(new long[] {1, 1, 1, 1}, DType.FLOAT32),
                Arguments.of(new long[] {1, 16, 1, 1}, DType.FLOAT32),
                Arguments.of(new long[] {8, 16, 1, 1}, DType.FLOAT64),
                Arguments.of(new long[] {1, 1, 72, 72}, DType.FLOAT32),
                Arguments.of(new long[] {8, 1, 72, 1}, DType.FLOAT32),
                Arguments.of(new long[] {72}, DType.FLOAT32),          // lower rank: leading axes added
                Arguments.of(new long[] {16, 1, 72}, DType.FLOAT64));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void expandMatchesIndexByIndex(long[] source, DType dtype) {
        Tensor x = uniform(new Rng(3), -1, 1, source).to(dtype);
        Tensor y = Shapes.expand(x, BIG);
        assertArrayEquals(BIG, y.shape());
        assertEquals(dtype, y.dtype());
        double[] xs = x.toDoubleArray();
        double[] ys = y.toDoubleArray();
        int lead = BIG.length - source.length;
        long[] index = new long[BIG.length];
        for (int i = 0; i < ys.length; i++) {
            long rest = i;
            for (int d = BIG.length - 1; d >= 0; d--) {
                index[d] = rest % BIG[d];
                rest /= BIG[d];
            }
            long at = 0;
            for (int d = 0; d < source.length; d++) {
                at = at * source[d] + (source[d] == 1 ? 0 : index[lead + d]);
            }
            if (ys[i] != xs[(int) at]) {
                throw new AssertionError("expand " + java.util.Arrays.toString(source) + ": element " + i + " is "
                        + ys[i] + ", expected " + xs[(int) at]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void sumAndMeanBackwardSpreadTheGradient(long[] source, DType dtype) {
        Tensor big = uniform(new Rng(5), -1, 1, BIG).to(dtype).requireGrad();
        Tensor weights = uniform(new Rng(6), -1, 1, source).to(dtype);
        // d/d big of Σ (mean over everything) = 1/n everywhere; of Σ w · sum_to(big) = w broadcast
        big.mean().backward();
        double n = big.value().length();
        for (double g : big.grad().toDoubleArray()) {
            assertEquals(1.0 / n, g, dtype == DType.FLOAT32 ? 1e-12 : 0);
        }
        Tensor other = uniform(new Rng(5), -1, 1, BIG).to(dtype).requireGrad();
        other.mul(Shapes.expand(weights, BIG)).sum().backward();
        assertArrayEquals(Shapes.expand(weights, BIG).toDoubleArray(), other.grad().toDoubleArray());
    }
}
