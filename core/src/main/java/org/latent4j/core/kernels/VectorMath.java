package org.latent4j.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise helpers the row kernels share. {@link #exp} is a polynomial rather than the Vector API's
 * {@code EXP} operator, whose speed depends on whether the JDK build intrinsifies it; this one is a
 * handful of FMAs everywhere, with relative error below 2e-7 on [-87, 88] (VectorMathTest); e^x is 0 at -inf and below
 * about -87.7, as a masked score needs.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /**
     * e^r ≈ 1 + r + C2 r² + C3 r³ + C4 r⁴ + C5 r⁵ on |r| ≤ ln2 / 2: a degree-5 fit minimising the largest
     * relative error (1.05e-7 in exact arithmetic, fitted by iteratively reweighted least squares), one FMA fewer
     * than the degree-6 Taylor polynomial it replaced and more accurate in float (1.6e-7 against 2.15e-7 worst
     * over 2·10^7 points).
     */
    private static final float C2 = 0.49999231f;
    private static final float C3 = 0.16667114f;
    private static final float C4 = 0.041890115f;
    private static final float C5 = 0.0083125252f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to the nearest integer in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorMath() {
    }

    /**
     * e^x lane-wise for x up to 88.3; NaN stays NaN. Below about -87.3 the result leaves the normal range and
     * below about -87.7 (and at -inf) it is 0: clamping x at -88 makes the exponent field of the scale
     * 2^n zero, so no compare-and-blend is needed (14 lane operations).
     */
    static FloatVector exp(FloatVector x) {
        return expBelow(x.min(88.3f));
    }

    /**
     * e^x lane-wise for x ≤ 88.3 (and -inf, which gives 0): {@link #exp} without the upper clamp, for softmax and
     * attention, whose arguments are scores minus their maximum (≤ 0).
     */
    static FloatVector expNonPositive(FloatVector x) {
        return expBelow(x);
    }

    /** e^x for x ≤ 88.3: n = round(x·log2 e), r = x − n·ln 2 (in two FMAs), e^r by a polynomial, times 2^n. */
    private static FloatVector expBelow(FloatVector x) {
        x = x.max(-88f);
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        // t's low mantissa bits hold n + 0x400000; shifted into the exponent field they make 2^n (0 at n = -127)
        FloatVector scale = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(C5, C4);
        p = p.fma(r, FloatVector.broadcast(S, C3));
        p = p.fma(r, FloatVector.broadcast(S, C2));
        p = p.fma(r, FloatVector.broadcast(S, 1.0f));
        p = p.fma(r, FloatVector.broadcast(S, 1.0f));
        return p.mul(scale);
    }

    /** The same computation for one value (row tails), so head and tail lanes round alike. */
    static float exp(float x) {
        if (Float.isNaN(x)) {
            return x;
        }
        x = Math.min(Math.max(x, -88f), 88.3f);
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C5, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1.0f);
        p = Math.fma(p, r, 1.0f);
        return p * scale;
    }
}
