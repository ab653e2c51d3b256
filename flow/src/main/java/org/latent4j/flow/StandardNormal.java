package org.latent4j.flow;

import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * The base distribution of a flow: independent standard normals, {@code log N(z; 0, I) = −½ Σ z² − ½ D log 2π}
 * over the D entries of each example.
 */
public final class StandardNormal {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private StandardNormal() {
    }

    /** The log-density of each example of z (B, …), shape (B). */
    public static Tensor logProb(Tensor z) {
        if (z.rank() < 1) {
            throw new IllegalArgumentException("StandardNormal.logProb: z must have a batch axis, got a scalar");
        }
        long perExample = z.numel() / Math.max(1, z.size(0));
        Tensor sq = Bijector.sumPerExample(Elementwise.square(z));
        return Elementwise.add(Elementwise.mul(sq, -0.5), -HALF_LOG_TWO_PI * perExample);
    }

    /** n draws of the given event shape: (n, eventShape…). */
    public static Tensor sample(Rng rng, DType dtype, int n, long... eventShape) {
        if (n <= 0) {
            throw new IllegalArgumentException("StandardNormal.sample: n must be positive, got " + n);
        }
        long[] shape = new long[eventShape.length + 1];
        shape[0] = n;
        System.arraycopy(eventShape, 0, shape, 1, eventShape.length);
        return Random.randn(rng, dtype, shape);
    }
}
