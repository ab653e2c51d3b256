package org.latent4j.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.TensorAssert;

/**
 * Every bijector, with random (non-identity) parameters in float64 on odd sizes: inverse(forward(x)) = x, and
 * its log|det J| equals the log-determinant of the Jacobian built entry by entry with autograd.
 */
class BijectorTest {
    private static final DType F64 = DType.FLOAT64;

    /**
     * A bijector (built from a seeded Rng), the shape of a batch, whether inputs must lie in (0, 1), and whether
     * the (slow) parameter gradient check runs for it: once per kind of bijector with parameters.
     */
    record Case(String name, Function<Rng, Bijector> make, long[] shape, boolean unitInterval, boolean gradCheck) {
        Case(String name, Function<Rng, Bijector> make, long[] shape, boolean unitInterval) {
            this(name, make, shape, unitInterval, false);
        }

        Case checked() {
            return new Case(name, make, shape, unitInterval, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("coupling mlp, dim 5", r -> AffineCoupling.mlp(Masks.alternating(5, 1, F64), 7, 2, 2.0, F64, r),
                        new long[] {3, 5}, false).checked(),
                new Case("coupling mlp halves, dim 3", r -> AffineCoupling.mlp(Masks.halves(3, 0, F64), 6, 1, 1.5, F64, r),
                        new long[] {4, 3}, false),
                new Case("coupling conv checkerboard (2,3,3)",
                        r -> AffineCoupling.conv(Masks.checkerboard(2, 3, 3, 0, F64), 5, 2.0, F64, r),
                        new long[] {2, 2, 3, 3}, false).checked(),
                new Case("coupling conv channels (3,2,3)",
                        r -> AffineCoupling.conv(Masks.channels(3, 2, 3, 1, F64), 4, 2.0, F64, r),
                        new long[] {2, 3, 2, 3}, false),
                new Case("actnorm vectors", r -> new ActNorm(5, F64), new long[] {3, 5}, false),
                new Case("actnorm images", r -> new ActNorm(3, F64), new long[] {2, 3, 3, 2}, false).checked(),
                new Case("1x1 conv LU vectors", r -> new InvertibleConv1x1(5, F64, r), new long[] {3, 5}, false),
                new Case("1x1 conv LU images", r -> new InvertibleConv1x1(3, F64, r), new long[] {2, 3, 2, 3}, false)
                        .checked(),
                new Case("1x1 conv plain images", r -> new PlainConv1x1(3, F64, r), new long[] {2, 3, 3, 2}, false)
                        .checked(),
                new Case("permutation", r -> Permutation.random(7, r), new long[] {3, 7}, false),
                new Case("reverse over channels", r -> Permutation.reverse(3), new long[] {2, 3, 2, 2}, false),
                new Case("squeeze", r -> new Squeeze(), new long[] {2, 3, 4, 2}, false),
                new Case("maf dim 5", r -> MaskedAutoregressive.of(5, new int[] {9, 8}, 2.0, F64, r),
                        new long[] {3, 5}, false).checked(),
                new Case("logit", r -> new Logit(0.05), new long[] {3, 5}, true),
                new Case("glow-style chain", r -> new Chain(new Squeeze(), new ActNorm(4, F64),
                        new InvertibleConv1x1(4, F64, r), AffineCoupling.conv(Masks.channels(4, 1, 2, 0, F64), 5, 2.0,
                                F64, r)), new long[] {2, 1, 2, 4}, false));
    }

    private static Bijector build(Case c, Rng rng) {
        Bijector b = c.make().apply(rng);
        FlowChecks.perturb(b, rng, 0.4);
        b.eval(); // keeps ActNorm's random parameters instead of initializing from the batch
        return b;
    }

    private static Tensor input(Case c, Rng rng) {
        Tensor x = Random.randn(rng, F64, c.shape());
        return c.unitInterval() ? Activations.sigmoid(x) : x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inverseUndoesForwardInFloat64(Case c) {
        Rng rng = new Rng(11);
        Bijector b = build(c, rng);
        Tensor x = input(c, rng);
        try (GradMode.Scope ng = GradMode.noGrad()) {
            Bijector.Output o = b.forward(x);
            assertArrayEquals(new long[] {c.shape()[0]}, o.logDet().shape(), "logDet is one number per example");
            TensorAssert.assertClose(x, b.inverse(o.z()), 1e-5, 1e-5);
            // and the other way round, from a latent
            Tensor z = o.z();
            TensorAssert.assertClose(z, b.forward(b.inverse(z)).z(), 1e-5, 1e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logDetMatchesTheBruteForceJacobian(Case c) {
        Rng rng = new Rng(12);
        Bijector b = build(c, rng);
        Tensor x = input(c, rng);
        double[] expected = FlowChecks.bruteForceLogDet(b, x);
        double[] actual;
        try (GradMode.Scope ng = GradMode.noGrad()) {
            actual = b.forward(x).logDet().toDoubleArray();
        }
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], 1e-8 * Math.max(1, Math.abs(expected[i])), c.name() + " example " + i);
        }
    }

    /** One case per kind of bijector with parameters (the others have none, or repeat a kind). */
    static Stream<Case> gradCheckCases() {
        return cases().filter(Case::gradCheck);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCheckCases")
    void flowLogProbPassesFloat64GradCheckOverParameters(Case c) {
        Rng rng = new Rng(13);
        Bijector b = build(c, rng);
        Tensor x = input(c, rng);
        long[] event = java.util.Arrays.copyOfRange(c.shape(), 1, c.shape().length);
        Flow flow = new Flow(b, F64, event);
        flow.eval();
        double worst = FlowChecks.worstParameterGradError(flow, () -> flow.logProb(x), 5);
        assertTrue(worst < 1e-5, c.name() + ": worst relative error " + worst);
    }

}
