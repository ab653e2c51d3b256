package org.latent4j.core.train;

import java.util.Map;

/**
 * One training step, as the {@link Trainer} calls it: forward, loss, backward, optimizer step, returning the
 * numbers to log ({@code Map.of("loss", loss.item())}). It runs inside an {@code Arena}, so every tensor it
 * makes is freed when it returns; return plain doubles, never tensors.
 *
 * <p>For a resumed run to continue the exact same trajectory, all of a step's randomness (batch sampling,
 * dropout, noise) must come from the {@code Rng} given to the trainer, or be a function of {@code step}.
 */
@FunctionalInterface
public interface StepFunction {
    /** Runs step {@code step} (counted from 0) and returns its metrics by name. */
    Map<String, Double> run(long step);
}
