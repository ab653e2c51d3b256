package org.latent4j.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The polynomial e^x against Math.exp: accuracy over the range, its limits, and lanes against the scalar copy. */
class VectorMathTest {
    private static float[] lanes(FloatVector v) {
        return v.toArray();
    }

    @Test
    void vectorAndScalarExpAreAccurateAndAgree() {
        double worst = 0;
        float[] x = new float[L];
        for (int k = 0; k < 200_000; k++) {
            for (int j = 0; j < L; j++) {
                // [-87, 88] in uneven steps, so many different reduced arguments are hit
                x[j] = -87f + 175f * ((k * L + j) * 0.6180339887f % 1f);
            }
            float[] e = lanes(VectorMath.exp(FloatVector.fromArray(S, x, 0)));
            float[] neg = lanes(VectorMath.expNonPositive(FloatVector.fromArray(S, x, 0)));
            for (int j = 0; j < L; j++) {
                double ref = Math.exp(x[j]);
                worst = Math.max(worst, Math.abs(e[j] - ref) / ref);
                assertEquals(e[j], VectorMath.exp(x[j]), 0f, "scalar and lane differ at " + x[j]);
                assertEquals(e[j], neg[j], 0f, "expNonPositive differs at " + x[j]);
            }
        }
        // about 1.6e-7 measured (1.4 float ulps); the degree-6 Taylor polynomial used before reached 2.15e-7
        assertTrue(worst < 2e-7, "worst relative error " + worst);
    }

    @Test
    void limits() {
        float[] x = new float[L];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[0] = -1000f;
        x[1] = -88f;
        x[L - 1] = Float.NaN;
        float[] e = lanes(VectorMath.exp(FloatVector.fromArray(S, x, 0)));
        float[] neg = lanes(VectorMath.expNonPositive(FloatVector.fromArray(S, x, 0)));
        for (int j = 0; j < L - 1; j++) {
            assertEquals(0f, e[j], "e^" + x[j]);
            assertEquals(0f, neg[j], "e^" + x[j]);
            assertEquals(0f, VectorMath.exp(x[j]), "scalar e^" + x[j]);
        }
        assertTrue(Float.isNaN(e[L - 1]) && Float.isNaN(neg[L - 1]) && Float.isNaN(VectorMath.exp(Float.NaN)));
        // just inside the normal range the value is still right; above 88.3 exp clamps to a finite value
        assertEquals(Math.exp(-87f), VectorMath.exp(-87f), 2e-7 * Math.exp(-87f));
        float big = lanes(VectorMath.exp(FloatVector.broadcast(S, 1000f)))[0];
        assertTrue(Float.isFinite(big) && big > 1e38f, "e^1000 clamped to " + big);
        assertEquals(0f, VectorMath.exp(0f) - 1f, 0f);
    }
}
