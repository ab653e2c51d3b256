package org.latent4j.core.optim;

/**
 * A learning rate as a function of the step (counted from 0) and a group's base rate; apply it with
 * {@link Optimizer#setLr(LrSchedule, long)} before each step. The factories cover the usual shapes:
 * constant, linear warmup, cosine decay to a floor (Loshchilov &amp; Hutter's SGDR without restarts), step
 * decay, and the warmup-then-cosine of GPT-style training.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step, double baseLr);

    /** Always the base rate. */
    static LrSchedule constant() {
        return (step, base) -> base;
    }

    /** {@code base·(step + 1)/warmupSteps} until it reaches the base rate, then the base rate. */
    static LrSchedule linearWarmup(long warmupSteps) {
        requirePositive("linearWarmup", "warmupSteps", warmupSteps);
        return (step, base) -> base * Math.min(1.0, (step + 1) / (double) warmupSteps);
    }

    /**
     * {@code minLr + (base − minLr)·(1 + cos(π·step/totalSteps))/2}, then {@code minLr} from {@code totalSteps}
     * on; PyTorch's {@code CosineAnnealingLR} with {@code T_max = totalSteps, eta_min = minLr}.
     */
    static LrSchedule cosine(long totalSteps, double minLr) {
        requirePositive("cosine", "totalSteps", totalSteps);
        requireMin("cosine", minLr);
        return (step, base) -> cosineBetween(base, minLr, Math.min(1.0, step / (double) totalSteps));
    }

    /** {@code base·gamma^⌊step/stepSize⌋}, PyTorch's {@code StepLR}. */
    static LrSchedule stepDecay(long stepSize, double gamma) {
        requirePositive("stepDecay", "stepSize", stepSize);
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("LrSchedule.stepDecay: gamma must be positive, got " + gamma);
        }
        return (step, base) -> base * Math.pow(gamma, Math.floorDiv(step, stepSize));
    }

    /**
     * Linear warmup over {@code warmupSteps} (as {@link #linearWarmup}), then cosine decay from the base rate
     * to {@code minLr} at {@code totalSteps}, and {@code minLr} after that.
     */
    static LrSchedule warmupCosine(long warmupSteps, long totalSteps, double minLr) {
        requirePositive("warmupCosine", "warmupSteps", warmupSteps);
        requireMin("warmupCosine", minLr);
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("LrSchedule.warmupCosine: totalSteps " + totalSteps
                    + " must exceed warmupSteps " + warmupSteps);
        }
        return (step, base) -> step < warmupSteps
                ? base * (step + 1) / (double) warmupSteps
                : cosineBetween(base, minLr, Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps)));
    }

    private static double cosineBetween(double base, double min, double progress) {
        return min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    private static void requirePositive(String name, String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("LrSchedule." + name + ": " + what + " must be positive, got " + value);
        }
    }

    private static void requireMin(String name, double minLr) {
        if (!(minLr >= 0)) {
            throw new IllegalArgumentException("LrSchedule." + name + ": minLr must be non-negative, got " + minLr);
        }
    }
}
