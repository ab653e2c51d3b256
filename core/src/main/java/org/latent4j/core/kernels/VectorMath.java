package org.latent4j.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise helpers the row kernels share. {@link #exp} is a polynomial rather than the Vector API's
 * {@code EXP} operator, whose speed depends on whether the JDK build intrinsifies it; this one is a
 * handful of FMAs everywhere, with relative error below 2e-7 on [-87, 88]; e^x is 0 below -87.3, as a masked score needs.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to the nearest integer in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);

    private VectorMath() {
    }

    /** e^x lane-wise for x in [-87.3, 88.3]; below that (and -inf) it is 0. */
    static FloatVector exp(FloatVector x) {
        var underflow = x.compare(VectorOperators.LT, -87.3f);
        x = x.max(-87.3f).min(88.3f);
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
        // r = x - n·ln2 in two steps, so r keeps full precision
        FloatVector r = n.mul(-LN2_HI).add(x);
        r = n.mul(-LN2_LO).add(r);
        FloatVector p = r.fma(1.0f / 720, 1.0f / 120);
        p = p.fma(r, FloatVector.broadcast(S, 1.0f / 24));
        p = p.fma(r, FloatVector.broadcast(S, 1.0f / 6));
        p = p.fma(r, FloatVector.broadcast(S, 0.5f));
        p = p.fma(r, FloatVector.broadcast(S, 1.0f));
        p = p.fma(r, FloatVector.broadcast(S, 1.0f));
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, underflow);
    }

    /** The same polynomial for one value (row tails), so head and tail lanes round alike. */
    static float exp(float x) {
        if (x < -87.3f) {
            return 0f;
        }
        x = Math.min(Math.max(x, -87.3f), 88.3f);
        float t = Math.fma(x, LOG2E, ROUND);
        float n = t - ROUND;
        int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, 1.0f / 720, 1.0f / 120);
        p = Math.fma(p, r, 1.0f / 24);
        p = Math.fma(p, r, 1.0f / 6);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1.0f);
        p = Math.fma(p, r, 1.0f);
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }
}
