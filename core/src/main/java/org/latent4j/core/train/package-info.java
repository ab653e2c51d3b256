/**
 * The training loop every example shares: {@link org.latent4j.core.train.Trainer} runs a {@link
 * org.latent4j.core.train.StepFunction} for a number of steps inside an {@code Arena} each, shows a progress
 * bar, logs through SLF4J, appends metrics to {@code metrics.csv} ({@link org.latent4j.core.train.MetricsLog}),
 * checkpoints every N steps and resumes from the latest checkpoint.
 *
 * <p>May import {@code core.tensor}, {@code core.nn} (Module), {@code core.optim} (Optimizer), {@code core.io}
 * (Checkpoint), {@code core.viz} (curves), Jackson, SLF4J and progressbar. Knows nothing about any model.
 */
package org.latent4j.core.train;
