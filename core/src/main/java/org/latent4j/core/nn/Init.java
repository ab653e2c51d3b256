package org.latent4j.core.nn;

import java.util.function.DoubleSupplier;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter initializers, filling a tensor in place from a seeded {@link Rng}, with the distributions of
 * PyTorch's {@code torch.nn.init} (same bounds and variances; the random streams differ). Fans follow
 * PyTorch: for a weight of shape (out, in, k...) {@code fanIn = in·∏k} and {@code fanOut = out·∏k}.
 *
 * <p>Xavier/Glorot (Glorot &amp; Bengio, 2010): {@code std = gain·√(2 / (fanIn + fanOut))}.
 * Kaiming/He (He et al., 2015): {@code std = gain / √fan}; uniform variants use {@code bound = √3·std}.
 */
public final class Init {
    private Init() {
    }

    /** Which fan a Kaiming initializer keeps the variance of: forward activations or backward gradients. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** The nonlinearity following a layer, which sets the recommended gain ({@link #gain}). */
    public enum Nonlinearity { LINEAR, CONV, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    /**
     * PyTorch's {@code calculate_gain}: 1 for linear, conv and sigmoid, 5/3 for tanh, √2 for ReLU,
     * √(2 / (1 + slope²)) for leaky ReLU with negative slope {@code param}, 3/4 for SELU.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        switch (nonlinearity) {
            case TANH:
                return 5.0 / 3.0;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU:
                return Math.sqrt(2.0 / (1 + param * param));
            case SELU:
                return 0.75;
            default:
                return 1.0;
        }
    }

    /** Input fan: size(1) times the receptive field (product of the sizes after the first two). */
    public static long fanIn(Tensor t) {
        requireRank("fanIn", t);
        return t.size(1) * receptiveField(t);
    }

    /** Output fan: size(0) times the receptive field. */
    public static long fanOut(Tensor t) {
        requireRank("fanOut", t);
        return t.size(0) * receptiveField(t);
    }

    private static long receptiveField(Tensor t) {
        long r = 1;
        for (int i = 2; i < t.rank(); i++) {
            r *= t.size(i);
        }
        return r;
    }

    private static void requireRank(String op, Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("Init." + op + ": fans need a tensor of rank 2 or more, got shape "
                    + Shape.format(t.shape()));
        }
    }

    // ---- plain distributions -----------------------------------------------------------------------------

    /** Uniform in [low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Rng rng) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("Init.uniform: low " + low + " exceeds high " + high);
        }
        return fill(t, () -> low + (high - low) * rng.nextDouble());
    }

    /** Normal with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, Rng rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: std must be non-negative, got " + std);
        }
        return fill(t, () -> mean + std * rng.nextGaussian());
    }

    public static Tensor constant(Tensor t, double value) {
        t.value().assign(value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    // ---- scaled by the fans ----------------------------------------------------------------------------

    /** Xavier uniform: U(−b, b) with {@code b = gain·√(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Rng rng) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, rng);
    }

    /** Xavier normal: N(0, std²) with {@code std = gain·√(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Rng rng) {
        return normal(t, 0, gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), rng);
    }

    /**
     * Kaiming uniform: U(−b, b) with {@code b = √3·gain(nonlinearity, a)/√fan}. PyTorch's default for
     * Linear and conv weights is {@code a = √5, FAN_IN, LEAKY_RELU}, i.e. {@code b = 1/√fanIn}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, rng);
    }

    /** Kaiming normal: N(0, std²) with {@code std = gain(nonlinearity, a)/√fan}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), rng);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        long fan = mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
        if (fan == 0) {
            throw new IllegalArgumentException("Init.kaiming: zero fan for shape " + Shape.format(t.shape()));
        }
        return gain(nonlinearity, a) / Math.sqrt(fan);
    }

    private static Tensor fill(Tensor t, DoubleSupplier draw) {
        double[] data = new double[Math.toIntExact(t.numel())];
        for (int i = 0; i < data.length; i++) {
            data[i] = draw.getAsDouble();
        }
        INDArray src = Nd4j.create(data, t.shape(), 'c');
        t.value().assign(t.value().dataType() == src.dataType() ? src : src.castTo(t.value().dataType()));
        src.close();
        return t;
    }
}
