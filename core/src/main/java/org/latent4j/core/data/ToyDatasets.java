package org.latent4j.core.data;

import java.util.Locale;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Two-dimensional toy distributions for GANs, flows and diffusion models, each a {@link TensorDataset} of
 * points {@code (N, 2)} float32 and labels {@code (N)} int64 (the mode, moon or square a point came from).
 * The ring and grid use the parameters of the GAN mode-collapse literature (Metz et al. 2017, Srivastava et
 * al. 2017): 8 Gaussians on a circle of radius 2 with std 0.02, and 25 Gaussians on a 5×5 grid of spacing 2
 * (centres at -4, -2, 0, 2, 4) with std 0.05. Every draw comes from the {@link Rng} passed in.
 */
public final class ToyDatasets {
    public static final double RING_RADIUS = 2.0;
    public static final double RING_STD = 0.02;
    public static final int RING_MODES = 8;
    public static final double GRID_SPACING = 2.0;
    public static final double GRID_STD = 0.05;
    public static final int GRID_SIDE = 5;

    /** The distributions by name, for command lines: {@code Kind.parse("swiss-roll")}. */
    public enum Kind {
        TWO_MOONS(0.1), RING(RING_STD), GRID(GRID_STD), SWISS_ROLL(0.1), CHECKERBOARD(0.0);

        private final double defaultNoise;

        Kind(double defaultNoise) {
            this.defaultNoise = defaultNoise;
        }

        /** The noise (standard deviation) used when none is given. */
        public double defaultNoise() {
            return defaultNoise;
        }

        public TensorDataset sample(Rng rng, int n) {
            return sample(rng, n, defaultNoise);
        }

        public TensorDataset sample(Rng rng, int n, double noise) {
            return switch (this) {
                case TWO_MOONS -> twoMoons(rng, n, noise);
                case RING -> ring(rng, n, noise);
                case GRID -> grid(rng, n, noise);
                case SWISS_ROLL -> swissRoll(rng, n, noise);
                case CHECKERBOARD -> checkerboard(rng, n, noise);
            };
        }

        /** {@code two-moons}, {@code ring}, {@code grid}, {@code swiss-roll} or {@code checkerboard}. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.cliName().equals(name.toLowerCase(Locale.ROOT)) || k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("ToyDatasets: unknown distribution '" + name
                    + "' (two-moons, ring, grid, swiss-roll, checkerboard)");
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private ToyDatasets() {
    }

    /**
     * Two interleaved half circles (scikit-learn's {@code make_moons}): the upper moon {@code (cos t, sin t)}
     * and the lower {@code (1 - cos t, 0.5 - sin t)} for t uniform in [0, π], label 0 or 1, plus Gaussian
     * noise of std {@code noise}.
     */
    public static TensorDataset twoMoons(Rng rng, int n, double noise) {
        check("twoMoons", n, noise);
        float[] xy = new float[2 * n];
        long[] label = new long[n];
        for (int i = 0; i < n; i++) {
            double t = Math.PI * rng.nextDouble();
            int moon = rng.nextInt(2);
            double x = moon == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double y = moon == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            put(xy, i, x + noise * rng.nextGaussian(), y + noise * rng.nextGaussian());
            label[i] = moon;
        }
        return dataset(xy, label);
    }

    public static TensorDataset ring(Rng rng, int n) {
        return ring(rng, n, RING_STD);
    }

    /** A mixture of 8 equally weighted Gaussians of std {@code std} centred on {@link #ringModes()}. */
    public static TensorDataset ring(Rng rng, int n, double std) {
        check("ring", n, std);
        return mixture(rng, n, std, ringModes());
    }

    public static TensorDataset grid(Rng rng, int n) {
        return grid(rng, n, GRID_STD);
    }

    /** A mixture of 25 equally weighted Gaussians of std {@code std} centred on {@link #gridModes()}. */
    public static TensorDataset grid(Rng rng, int n, double std) {
        check("grid", n, std);
        return mixture(rng, n, std, gridModes());
    }

    /**
     * A 2-D swiss roll: {@code (t cos t, t sin t) / 5} for t uniform in [1.5π, 4.5π] (so points lie within
     * about ±3), plus Gaussian noise of std {@code noise}. Labels split t into 4 equal segments.
     */
    public static TensorDataset swissRoll(Rng rng, int n, double noise) {
        check("swissRoll", n, noise);
        float[] xy = new float[2 * n];
        long[] label = new long[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            double t = 1.5 * Math.PI * (1 + 2 * u);
            put(xy, i, t * Math.cos(t) / 5 + noise * rng.nextGaussian(), t * Math.sin(t) / 5 + noise * rng.nextGaussian());
            label[i] = Math.min(3, (long) (u * 4));
        }
        return dataset(xy, label);
    }

    /**
     * A checkerboard of 8 uniform 2×2 squares on [-4, 4]²: the black squares of a 4×4 board (cells where
     * {@code floor(x/2) + floor(y/2)} is even), plus Gaussian noise of std {@code noise}. Labels number
     * the squares 0–7.
     */
    public static TensorDataset checkerboard(Rng rng, int n, double noise) {
        check("checkerboard", n, noise);
        float[] xy = new float[2 * n];
        long[] label = new long[n];
        for (int i = 0; i < n; i++) {
            int square = rng.nextInt(8);
            int row = square / 2;                      // 0..3, bottom to top
            int col = 2 * (square % 2) + (row % 2);    // the cells of that row with (row + col) even
            double x = -4 + 2 * col + 2 * rng.nextDouble();
            double y = -4 + 2 * row + 2 * rng.nextDouble();
            put(xy, i, x + noise * rng.nextGaussian(), y + noise * rng.nextGaussian());
            label[i] = square;
        }
        return dataset(xy, label);
    }

    /** The 8 ring centres {@code 2·(cos 2πk/8, sin 2πk/8)}, as {@code [k][x or y]}. */
    public static double[][] ringModes() {
        double[][] m = new double[RING_MODES][];
        for (int k = 0; k < RING_MODES; k++) {
            double a = 2 * Math.PI * k / RING_MODES;
            m[k] = new double[] {RING_RADIUS * Math.cos(a), RING_RADIUS * Math.sin(a)};
        }
        return m;
    }

    /** The 25 grid centres {@code (-4 + 2i, -4 + 2j)}, row-major in i, as {@code [5i + j][x or y]}. */
    public static double[][] gridModes() {
        double[][] m = new double[GRID_SIDE * GRID_SIDE][];
        double half = (GRID_SIDE - 1) / 2.0 * GRID_SPACING;
        for (int i = 0; i < GRID_SIDE; i++) {
            for (int j = 0; j < GRID_SIDE; j++) {
                m[GRID_SIDE * i + j] = new double[] {-half + GRID_SPACING * i, -half + GRID_SPACING * j};
            }
        }
        return m;
    }

    private static TensorDataset mixture(Rng rng, int n, double std, double[][] modes) {
        float[] xy = new float[2 * n];
        long[] label = new long[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(modes.length);
            put(xy, i, modes[k][0] + std * rng.nextGaussian(), modes[k][1] + std * rng.nextGaussian());
            label[i] = k;
        }
        return dataset(xy, label);
    }

    private static void put(float[] xy, int i, double x, double y) {
        xy[2 * i] = (float) x;
        xy[2 * i + 1] = (float) y;
    }

    private static TensorDataset dataset(float[] xy, long[] label) {
        return new TensorDataset(Tensor.of(xy, label.length, 2), Tensor.ofLongs(label, label.length));
    }

    private static void check(String what, int n, double noise) {
        if (n < 1) {
            throw new IllegalArgumentException("ToyDatasets." + what + ": n must be positive, got " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("ToyDatasets." + what + ": noise must be a finite non-negative std, got "
                    + noise);
        }
    }
}
