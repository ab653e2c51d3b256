package org.latent4j.core.nn;

import java.util.Arrays;
import java.util.function.Supplier;
import org.latent4j.core.tensor.Rng;

/**
 * A multi-layer perceptron: {@link Linear} layers of the given widths with an activation between each pair
 * and none after the last. Laid out as PyTorch's {@code nn.Sequential(Linear, act, Linear, …)}, so the
 * parameters are named {@code 0.weight, 0.bias, 2.weight, …}.
 *
 * <pre>{@code
 * Mlp mlp = new Mlp(new int[] {2, 64, 64, 1}, Relu::new, ParamOptions.defaults(), rng);
 * }</pre>
 */
public final class Mlp extends Sequential {
    private final int[] widths;

    /**
     * @param widths     input width, hidden widths, output width (at least two entries)
     * @param activation makes a fresh activation layer for each gap between linear layers
     */
    public Mlp(int[] widths, Supplier<? extends Layer> activation, ParamOptions options, Rng rng) {
        if (widths == null || widths.length < 2) {
            throw new IllegalArgumentException("Mlp: needs at least an input and an output width, got "
                    + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        for (int i = 0; i + 1 < widths.length; i++) {
            if (i > 0) {
                append(activation.get());
            }
            append(new Linear(widths[i], widths[i + 1], options, rng));
        }
    }

    public Mlp(int[] widths, Supplier<? extends Layer> activation, Rng rng) {
        this(widths, activation, ParamOptions.defaults(), rng);
    }

    public int[] widths() {
        return widths.clone();
    }

    @Override
    protected String extraRepr() {
        return "widths=" + Arrays.toString(widths);
    }
}
