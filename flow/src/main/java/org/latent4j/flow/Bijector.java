package org.latent4j.flow;

import org.latent4j.core.nn.Module;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * An invertible, differentiable map {@code f} between data {@code x} and latent {@code z} of the same shape,
 * with the log of the absolute Jacobian determinant per example, so that a {@link Flow} can evaluate
 * {@code log p(x) = log p_Z(f(x)) + log|det ∂f/∂x|} exactly (the change of variables). The batch is axis 0;
 * every other axis belongs to one example, so {@code logDet} has shape (B).
 *
 * <p>A bijector is a {@link Module}: its parameters and buffers are registered with PyTorch-style names and
 * checkpoint with the flow. {@link #forward} is the density direction (data → latent), {@link #inverse} the
 * sampling direction.
 */
public abstract class Bijector extends Module {
    /** The image of {@code x} and {@code log|det ∂z/∂x|} for each example, shape (B). */
    public record Output(Tensor z, Tensor logDet) {
    }

    /** x → z with the log-determinant of the Jacobian per example. */
    public abstract Output forward(Tensor x);

    /** z → x, the exact inverse of {@link #forward}. */
    public abstract Tensor inverse(Tensor z);

    /**
     * The shape of one example's image z given the shape of one example x (no batch axis): the same, except
     * for bijectors that rearrange entries such as {@link Squeeze}. A flow samples its latents in this shape.
     */
    public long[] forwardShape(long[] eventShape) {
        return eventShape.clone();
    }

    /** The sum over every axis but the batch axis: (B, …) → (B). */
    static Tensor sumPerExample(Tensor t) {
        if (t.rank() == 1) {
            return t;
        }
        int[] axes = new int[t.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return Reductions.sum(t, axes, false);
    }

    /** Fails unless {@code x} is a batch whose axis 1 has {@code channels} entries. */
    static void requireChannels(String op, Tensor x, long channels) {
        if (x.rank() < 2 || x.size(1) != channels) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(x.shape())
                    + " must be (B, " + channels + ", …)");
        }
    }

    /** The number of entries of one example along the axes after the channel axis (H·W for images, 1 for vectors). */
    static long spatialSize(Tensor x) {
        long n = 1;
        for (int i = 2; i < x.rank(); i++) {
            n *= x.size(i);
        }
        return n;
    }
}
