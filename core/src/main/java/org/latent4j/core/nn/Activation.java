package org.latent4j.core.nn;

import org.latent4j.core.ops.Activations;
import org.latent4j.core.tensor.Tensor;

/**
 * An elementwise nonlinearity as a layer, for {@link Sequential} and {@link Mlp}
 * ({@code new Mlp(widths, Activation::gelu, rng)}). It has no parameters; each factory names the function of
 * {@link Activations} it applies, with PyTorch's defaults (leaky ReLU slope 0.01, ELU alpha 1).
 */
public final class Activation extends Layer {
    /** The function applied. */
    public enum Kind { RELU, LEAKY_RELU, GELU, GELU_TANH, SILU, SIGMOID, TANH, SOFTPLUS, ELU }

    private final Kind kind;
    private final double param;

    private Activation(Kind kind, double param) {
        this.kind = kind;
        this.param = param;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, 0);
    }

    /** Leaky ReLU with PyTorch's default negative slope 0.01. */
    public static Activation leakyRelu() {
        return leakyRelu(0.01);
    }

    public static Activation leakyRelu(double negativeSlope) {
        return new Activation(Kind.LEAKY_RELU, negativeSlope);
    }

    /** The exact GELU, x·Φ(x). */
    public static Activation gelu() {
        return new Activation(Kind.GELU, 0);
    }

    /** GELU's tanh approximation (PyTorch's {@code approximate='tanh'}, GPT-2's). */
    public static Activation geluTanh() {
        return new Activation(Kind.GELU_TANH, 0);
    }

    public static Activation silu() {
        return new Activation(Kind.SILU, 0);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH, 0);
    }

    public static Activation softplus() {
        return new Activation(Kind.SOFTPLUS, 0);
    }

    /** ELU with alpha 1. */
    public static Activation elu() {
        return elu(1.0);
    }

    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public Tensor forward(Tensor x) {
        switch (kind) {
            case RELU:
                return Activations.relu(x);
            case LEAKY_RELU:
                return Activations.leakyRelu(x, param);
            case GELU:
                return Activations.gelu(x);
            case GELU_TANH:
                return Activations.geluTanh(x);
            case SILU:
                return Activations.silu(x);
            case SIGMOID:
                return Activations.sigmoid(x);
            case TANH:
                return Activations.tanh(x);
            case SOFTPLUS:
                return Activations.softplus(x);
            default:
                return Activations.elu(x, param);
        }
    }

    @Override
    protected String extraRepr() {
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return kind == Kind.LEAKY_RELU || kind == Kind.ELU ? name + ", " + param : name;
    }
}
