package org.latent4j.core.ops;

import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Elementwise ops on float32 arrays too large for {@link HostLoops} (more than 2^19 elements), where exp, sigmoid,
 * tanh and where's select run the Java kernels of {@code Kernels}: values and gradients against float64.
 */
class LargeElementwiseTest {
    static Stream<Arguments> ops() {
        return Stream.of(
                Arguments.of("exp", (UnaryOperator<Tensor>) Elementwise::exp),
                Arguments.of("sigmoid", (UnaryOperator<Tensor>) Activations::sigmoid),
                Arguments.of("tanh", (UnaryOperator<Tensor>) Activations::tanh),
                Arguments.of("elu (where)", (UnaryOperator<Tensor>) x -> Activations.elu(x, 0.7)),
                Arguments.of("leakyRelu 0.2", (UnaryOperator<Tensor>) x -> Activations.leakyRelu(x, 0.2)),
                Arguments.of("relu", (UnaryOperator<Tensor>) Activations::relu),
                Arguments.of("where(x > 0.3, x², -x)", (UnaryOperator<Tensor>) x -> Elementwise.where(
                        Tensor.wrap(x.value().gt(0.3)), Elementwise.square(x), x.neg())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void float32MatchesFloat64(String name, UnaryOperator<Tensor> op) {
        agree(op, 4, 8, 144, 144); // 663,552 elements
        agree(op, 3, 5, 7);        // small: the loops for most, the Java kernels for leakyRelu and where
    }

    private static void agree(UnaryOperator<Tensor> op, long... shape) {
        Tensor x64 = uniform(new Rng(9), -6, 6, shape);
        Tensor r64 = uniform(new Rng(10), -1, 1, shape);
        Tensor x32 = x64.to(DType.FLOAT32).requireGrad();
        Tensor y32 = op.apply(x32);
        y32.mul(r64.to(DType.FLOAT32)).sum().backward();
        Tensor xr = x32.detach().to(DType.FLOAT64).requireGrad(); // the float32 inputs, exactly
        Tensor y64 = op.apply(xr);
        y64.mul(r64).sum().backward();
        assertClose(y64, y32.detach().to(DType.FLOAT64), 2e-6, 1e-6);
        assertClose(xr.grad(), x32.grad().to(DType.FLOAT64), 2e-6, 1e-6);
    }
}
