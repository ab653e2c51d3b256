package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VectorPointwiseTest {
    /** Special values first, then a sweep over [-100, 100] and dense near 0; an odd length leaves a scalar tail. */
    private static float[] inputs(int n) {
        float[] x = new float[n];
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f,
            1e-7f, -3e-5f, 0.2499999f, 0.25f, -0.25f, 88.7f, 88.8f, -88f, -104f, 200f, -200f, Float.MIN_VALUE};
        System.arraycopy(special, 0, x, 0, special.length);
        Rng rng = new Rng(17);
        for (int i = special.length; i < n; i++) {
            x[i] = i % 3 == 0 ? (float) (rng.nextDouble() * 200 - 100) : (float) (rng.nextGaussian() * 0.3);
        }
        return x;
    }

    @BeforeEach
    void needsVectorApi() {
        assumeTrue(VectorSupport.usable(), "the Vector API module is not present");
    }

    private static void check(String name, VectorPointwise.Function f, DoubleUnaryOperator exact, double relTol,
            double absTol) {
        int n = 3 * 4096 + 13;
        float[] x = inputs(n);
        INDArray in = Nd4j.createFromArray(x);
        INDArray out = Nd4j.create(DataType.FLOAT, n);
        VectorPointwise.apply(f, in, out);
        float[] y = out.toFloatVector();
        for (int i = 0; i < n; i++) {
            double want = exact.applyAsDouble(x[i]);
            float got = y[i];
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), name + "(" + x[i] + ") = " + got + ", expected NaN");
            } else if (Double.isInfinite(want) || want > Float.MAX_VALUE) {
                assertEquals(Float.POSITIVE_INFINITY, got, name + "(" + x[i] + ")");
            } else {
                double err = Math.abs(got - want);
                assertTrue(err <= absTol || err <= relTol * Math.abs(want),
                        name + "(" + x[i] + ") = " + got + ", expected " + want + " (error " + err + ")");
            }
        }
        // in place, and the same answer
        VectorPointwise.apply(f, in, in);
        assertTrue(java.util.Arrays.equals(y, in.toFloatVector()), name + " in place differs");
    }

    @Test
    void expMatchesDoublePrecision() {
        // below e^-87.3 the result is subnormal and then 0: an absolute floor covers that range
        check("exp", VectorPointwise.Function.EXP, Math::exp, 3e-7, 1e-37);
    }

    @Test
    void sigmoidMatchesDoublePrecision() {
        check("sigmoid", VectorPointwise.Function.SIGMOID, v -> 1 / (1 + Math.exp(-v)), 3e-7, 1e-37);
    }

    @Test
    void tanhKeepsItsRelativeAccuracyNearZero() {
        check("tanh", VectorPointwise.Function.TANH, Math::tanh, 8e-7, 1e-44);
        for (float v = -1f; v <= 1f; v += 1f / 1024) {
            float t = VectorPointwise.tanh(v);
            float u = VectorPointwise.tanh(-v);
            assertTrue(t == -u, "tanh is odd at " + v + ": " + t + " and " + u);
        }
    }

    @Test
    void selectPicksByTheMask() {
        int n = 2 * 4096 + 5;
        Rng rng = new Rng(3);
        float[] a = new float[n];
        float[] b = new float[n];
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = (float) rng.nextGaussian();
            m[i] = rng.nextDouble() < 0.5;
        }
        INDArray out = Nd4j.create(DataType.FLOAT, n);
        VectorPointwise.select(Nd4j.createFromArray(m), Nd4j.createFromArray(a), Nd4j.createFromArray(b), out);
        float[] y = out.toFloatVector();
        for (int i = 0; i < n; i++) {
            assertEquals(m[i] ? a[i] : b[i], y[i], "element " + i);
        }
    }

    @Test
    void badArgumentsNameTheOp() {
        INDArray f = Nd4j.create(DataType.FLOAT, 4);
        assertEquals("tanh: shapes (4,) and (5,) differ", assertThrows(IllegalArgumentException.class,
                () -> Kernels.tanh(f, Nd4j.create(DataType.FLOAT, 5))).getMessage());
        assertEquals("select: mask (4,) FLOAT must be BOOL of the output's shape (4,)", assertThrows(
                IllegalArgumentException.class, () -> Kernels.select(f, f, f, f)).getMessage());
    }
}
