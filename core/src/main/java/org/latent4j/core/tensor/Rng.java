package org.latent4j.core.tensor;

import java.util.Arrays;

/**
 * A seeded, splittable random number generator: xoshiro256++ seeded through SplitMix64. Every random
 * thing in Latent4j takes an {@code Rng} argument; there is no global generator. Its whole state
 * (including a cached Gaussian) can be saved with {@link #state()} and put back with {@link #restore},
 * so a resumed training run draws the same numbers as an uninterrupted one.
 */
public final class Rng {
    private final long[] s = new long[4];
    private boolean hasSpare;
    private double spare;

    public Rng(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            s[i] = mix(x);
        }
    }

    private Rng(long[] state, boolean hasSpare, double spare) {
        System.arraycopy(state, 0, s, 0, 4);
        this.hasSpare = hasSpare;
        this.spare = spare;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s[0] + s[3], 23) + s[0];
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        }
        return (int) nextLong(bound);
    }

    /** Uniform long in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("nextLong: bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return r % bound;
            }
        }
    }

    /** Standard normal (Marsaglia's polar method; the second value is cached and part of the state). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double q;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            q = u * u + v * v;
        } while (q >= 1 || q == 0);
        double f = Math.sqrt(-2 * Math.log(q) / q);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    /** A new generator whose stream is independent of this one's; advances this generator. */
    public Rng split() {
        return new Rng(mix(nextLong()) ^ nextLong());
    }

    /** A copy in the same state: both then draw the same sequence. */
    public Rng copy() {
        return new Rng(s, hasSpare, spare);
    }

    /** The full state: four xoshiro words, the spare-Gaussian flag and its bits. */
    public long[] state() {
        return new long[] {s[0], s[1], s[2], s[3], hasSpare ? 1 : 0, Double.doubleToRawLongBits(spare)};
    }

    /** Puts back a state taken with {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != 6) {
            throw new IllegalArgumentException("Rng state must have 6 words, got " + state.length);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng state of all zeros is invalid for xoshiro256++");
        }
        System.arraycopy(state, 0, s, 0, 4);
        hasSpare = state[4] != 0;
        spare = Double.longBitsToDouble(state[5]);
    }

    public static Rng fromState(long[] state) {
        Rng r = new Rng(0);
        r.restore(state);
        return r;
    }

    @Override
    public String toString() {
        return "Rng" + Arrays.toString(state());
    }
}
