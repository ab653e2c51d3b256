package org.latent4j.core.optim;

import java.util.List;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradient clipping, in place on the parameters' gradients, as PyTorch's {@code clip_grad_norm_} and
 * {@code clip_grad_value_}. Parameters without a gradient are skipped.
 */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients by {@code min(1, maxNorm / (total + 1e-6))}, where {@code total} is the L2 norm of all
     * gradients taken together; returns {@code total} (before clipping), which is worth logging.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * As {@link #clipGradNorm(List, double)} with the p-norm for {@code normType} 1, 2 or
     * {@link Double#POSITIVE_INFINITY} (largest absolute value).
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be positive, got " + maxNorm);
        }
        if (normType != 1 && normType != 2 && normType != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clipGradNorm: normType must be 1, 2 or infinity, got " + normType);
        }
        double total = 0;
        for (Tensor p : params) {
            if (p.grad() == null) {
                continue;
            }
            INDArray g = p.grad().value();
            if (Kernels.hasNorm(g)) {
                double n = Kernels.norm(g, normType);
                total = normType == Double.POSITIVE_INFINITY ? Math.max(total, n) : total + n;
            } else if (normType == 1) {
                total += g.norm1Number().doubleValue();
            } else if (normType == 2) {
                double n = g.norm2Number().doubleValue();
                total += n * n;
            } else {
                total = Math.max(total, g.normmaxNumber().doubleValue());
            }
        }
        if (normType == 2) {
            total = Math.sqrt(total);
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                if (p.grad() == null) {
                    continue;
                }
                INDArray g = p.grad().value();
                if (Kernels.hasNorm(g)) {
                    Kernels.scaleInPlace(g, coef);
                } else {
                    g.muli(coef);
                }
            }
        }
        return total;
    }

    /** Clamps every gradient element into {@code [−clipValue, clipValue]}. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue > 0)) {
            throw new IllegalArgumentException("clipGradValue: clipValue must be positive, got " + clipValue);
        }
        for (Tensor p : params) {
            if (p.grad() != null) {
                INDArray g = p.grad().value();
                Transforms.min(g, clipValue, false);
                Transforms.max(g, -clipValue, false);
            }
        }
    }
}
