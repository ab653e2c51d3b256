package org.latent4j.flow;

import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.tensor.Tensor;

/**
 * RealNVP's preprocessing of images in [0, 1] (Dinh et al. 2016, §4.1): squeeze into [α, 1−α], then take the
 * logit, so the flow models an unbounded variable:
 * <pre>  p = α + (1 − 2α)·x,   y = log p − log(1 − p),
 *   log|det J| = Σ [log(1 − 2α) − log p − log(1 − p)].</pre>
 * Its log-determinant is part of the data's log-likelihood (bits per dimension are reported in the [0, 1]
 * space before this layer). No parameters.
 */
public final class Logit extends Bijector {
    private final double alpha;

    /** @param alpha in [0, 0.5); RealNVP uses 0.05 (0 allows only inputs strictly inside (0, 1)) */
    public Logit(double alpha) {
        if (!(alpha >= 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("Logit: alpha must be in [0, 0.5), got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public Output forward(Tensor x) {
        Tensor p = Elementwise.add(Elementwise.mul(x, 1 - 2 * alpha), alpha);
        Tensor logP = Elementwise.log(p);
        Tensor log1mP = Elementwise.log(Elementwise.add(Elementwise.neg(p), 1.0));
        Tensor y = Elementwise.sub(logP, log1mP);
        long perExample = x.numel() / Math.max(1, x.size(0));
        Tensor logDet = Elementwise.add(Elementwise.neg(sumPerExample(Elementwise.add(logP, log1mP))),
                perExample * Math.log(1 - 2 * alpha));
        return new Output(y, logDet);
    }

    @Override
    public Tensor inverse(Tensor y) {
        return Elementwise.mul(Elementwise.add(Activations.sigmoid(y), -alpha), 1 / (1 - 2 * alpha));
    }

    public double alpha() {
        return alpha;
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
