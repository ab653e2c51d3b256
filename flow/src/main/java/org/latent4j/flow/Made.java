package org.latent4j.flow;

import java.util.Arrays;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Layer;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * MADE, the masked autoencoder for distribution estimation (Germain et al. 2015): an MLP whose weights are
 * masked so that output i depends only on the inputs before it in the order, {@code ∂out_i/∂x_j = 0} unless
 * {@code j < i}. Each input d gets degree d (1..D), each hidden unit a degree m in 1..D−1 (cycling, so every
 * degree is present), a hidden connection is kept when {@code m_k ≥ m_j}, an output connection when
 * {@code d_i > m_k}. With {@code outputsPerInput} = K the output is (B, K·D): block k holds the k-th parameter of
 * each dimension ({@code out[:, k·D + i]} belongs to x_i). Layers are named {@code net.0, net.2, …} with ReLU
 * between them.
 */
public final class Made extends Layer {
    private final int dim;
    private final int outputsPerInput;
    private final Sequential net;

    /**
     * @param dim             D, at least 2
     * @param hidden          widths of the hidden layers (each at least D − 1 so every degree has a unit)
     * @param outputsPerInput K, the number of outputs per input dimension
     */
    public Made(int dim, int[] hidden, int outputsPerInput, DType dtype, Rng rng) {
        if (dim < 2) {
            throw new IllegalArgumentException("Made: dim must be at least 2, got " + dim);
        }
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h < dim - 1)) {
            throw new IllegalArgumentException("Made: needs at least one hidden layer, each at least dim − 1 = "
                    + (dim - 1) + " wide, got " + Arrays.toString(hidden));
        }
        if (outputsPerInput <= 0) {
            throw new IllegalArgumentException("Made: outputsPerInput must be positive, got " + outputsPerInput);
        }
        this.dim = dim;
        this.outputsPerInput = outputsPerInput;
        ParamOptions p = ParamOptions.defaults().withDType(dtype);
        int[] previous = new int[dim];
        for (int i = 0; i < dim; i++) {
            previous[i] = i + 1;
        }
        net = registerModule("net", new Sequential());
        for (int l = 0; l < hidden.length; l++) {
            int[] degrees = new int[hidden[l]];
            for (int k = 0; k < degrees.length; k++) {
                degrees[k] = k % (dim - 1) + 1;
            }
            double[][] mask = new double[degrees.length][previous.length];
            for (int k = 0; k < degrees.length; k++) {
                for (int j = 0; j < previous.length; j++) {
                    mask[k][j] = degrees[k] >= previous[j] ? 1 : 0;
                }
            }
            if (l > 0) {
                net.append(Activation.relu());
            }
            net.append(new MaskedLinear(mask, p, rng));
            previous = degrees;
        }
        double[][] mask = new double[outputsPerInput * dim][previous.length];
        for (int o = 0; o < mask.length; o++) {
            int degree = o % dim + 1;
            for (int k = 0; k < previous.length; k++) {
                mask[o][k] = degree > previous[k] ? 1 : 0;
            }
        }
        net.append(Activation.relu());
        net.append(new MaskedLinear(mask, p, rng));
    }

    /** (B, D) → (B, K·D). */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.size(1) != dim) {
            throw new IllegalArgumentException("Made: input " + org.latent4j.core.tensor.Shape.format(x.shape())
                    + " must be (B, " + dim + ")");
        }
        return net.forward(x);
    }

    /** The output layer, e.g. to start it at zero. */
    MaskedLinear outputLayer() {
        return (MaskedLinear) net.get(net.size() - 1);
    }

    public int dim() {
        return dim;
    }

    public int outputsPerInput() {
        return outputsPerInput;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", outputsPerInput=" + outputsPerInput;
    }
}
