package org.latent4j.diffusion;

import java.util.List;
import org.latent4j.core.nn.Module;
import org.latent4j.core.optim.Ema;
import org.latent4j.core.optim.GradClip;
import org.latent4j.core.optim.Optimizer;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * One optimization step of a denoiser, everything a diffusion training loop repeats: drop the condition with
 * probability {@code conditionDropout} (classifier-free guidance), compute the {@link DiffusionLoss}, backward,
 * clip the gradient norm (if {@code maxGradNorm} is finite), step the optimizer, update the EMA (if any). Each
 * step runs in its own {@link Arena}.
 *
 * @param <M> the denoiser, a module so that its parameters can be optimized and averaged
 */
public final class DiffusionStep<M extends Module & Denoiser> {
    private final M model;
    private final DiffusionLoss loss;
    private final Optimizer optimizer;
    private final Ema ema;
    private final double conditionDropout;
    private final double maxGradNorm;
    private final List<Tensor> params;

    /**
     * @param ema              nullable: no weight average
     * @param conditionDropout probability of training a batch element unconditionally (0.1 is usual; 0 for
     *                         unconditional data)
     * @param maxGradNorm      gradient-norm clip, or infinity for none
     */
    public DiffusionStep(M model, DiffusionLoss loss, Optimizer optimizer, Ema ema, double conditionDropout,
            double maxGradNorm) {
        if (!(conditionDropout >= 0 && conditionDropout <= 1) || !(maxGradNorm > 0)) {
            throw new IllegalArgumentException("DiffusionStep: conditionDropout must lie in [0, 1] and maxGradNorm be "
                    + "positive, got " + conditionDropout + " and " + maxGradNorm);
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.ema = ema;
        this.conditionDropout = conditionDropout;
        this.maxGradNorm = maxGradNorm;
        this.params = model.parameters();
    }

    /** Trains on the batch {@code x0} (B, …) with its condition; returns the loss. */
    public double run(Tensor x0, Condition condition, Rng rng) {
        try (Arena step = Arena.open()) {
            Tensor l = loss.compute(model, x0, condition.dropped(conditionDropout, rng), rng);
            optimizer.zeroGrad();
            l.backward();
            if (Double.isFinite(maxGradNorm)) {
                GradClip.clipGradNorm(params, maxGradNorm);
            }
            optimizer.step();
            if (ema != null) {
                ema.update();
            }
            return l.item();
        }
    }

    public M model() {
        return model;
    }

    public DiffusionLoss loss() {
        return loss;
    }
}
