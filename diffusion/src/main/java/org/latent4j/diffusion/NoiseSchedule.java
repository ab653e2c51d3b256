package org.latent4j.diffusion;

import java.util.Arrays;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * The forward (noising) Markov chain of a diffusion model, {@code q(x_t | x_{t−1}) = N(√(1−β_t)·x_{t−1}, β_t·I)}
 * for {@code t = 0 … T−1}, with everything the samplers need precomputed in float64: {@code α_t = 1 − β_t},
 * {@code ᾱ_t = ∏_{s≤t} α_s}, the closed form {@code q(x_t | x₀) = N(√ᾱ_t·x₀, (1−ᾱ_t)·I)}, and the Gaussian
 * posterior {@code q(x_{t−1} | x_t, x₀) = N(c₁·x₀ + c₂·x_t, β̃_t·I)} with
 * {@code β̃_t = β_t(1−ᾱ_{t−1})/(1−ᾱ_t)}, {@code c₁ = β_t√ᾱ_{t−1}/(1−ᾱ_t)}, {@code c₂ = (1−ᾱ_{t−1})√α_t/(1−ᾱ_t)}
 * (Ho et al. 2020, eq. 6–7). Steps are 0-based as in PyTorch code: step 0 is the first noising step.
 *
 * <p>Schedules: {@link #linear} (β from 1e-4 to 0.02 for T = 1000, Ho et al.) and {@link #cosine}
 * ({@code ᾱ(t) = f(t)/f(0)}, {@code f(t) = cos²((t/T + s)/(1 + s)·π/2)}, s = 0.008, β clipped at 0.999; Nichol
 * &amp; Dhariwal 2021).
 */
public final class NoiseSchedule {
    /** Ho et al.'s first and last β for T = 1000. */
    public static final double LINEAR_BETA_START = 1e-4;
    public static final double LINEAR_BETA_END = 0.02;
    /** Nichol &amp; Dhariwal's offset s and β ceiling. */
    public static final double COSINE_OFFSET = 0.008;
    public static final double COSINE_MAX_BETA = 0.999;

    /** The shape of the β curve, for configs and command lines. */
    public enum Kind {
        LINEAR, COSINE;

        public NoiseSchedule build(int steps) {
            return this == LINEAR ? linear(steps) : cosine(steps);
        }
    }

    private final Kind kind;
    private final double[] betas;
    private final double[] alphas;
    private final double[] alphasCumprod;
    private final double[] alphasCumprodPrev;
    private final double[] posteriorVariance;
    private final double[] posteriorLogVarianceClipped;
    private final double[] posteriorMeanCoef1;
    private final double[] posteriorMeanCoef2;

    private NoiseSchedule(Kind kind, double[] betas) {
        int n = betas.length;
        for (int t = 0; t < n; t++) {
            if (!(betas[t] > 0 && betas[t] < 1)) {
                throw new IllegalArgumentException("NoiseSchedule: beta[" + t + "] = " + betas[t]
                        + " must lie in (0, 1)");
            }
        }
        this.kind = kind;
        this.betas = betas;
        alphas = new double[n];
        alphasCumprod = new double[n];
        alphasCumprodPrev = new double[n];
        posteriorVariance = new double[n];
        posteriorLogVarianceClipped = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        double prod = 1;
        for (int t = 0; t < n; t++) {
            alphas[t] = 1 - betas[t];
            alphasCumprodPrev[t] = prod;
            prod *= alphas[t];
            alphasCumprod[t] = prod;
            double oneMinus = 1 - prod;
            posteriorVariance[t] = betas[t] * (1 - alphasCumprodPrev[t]) / oneMinus;
            posteriorMeanCoef1[t] = betas[t] * Math.sqrt(alphasCumprodPrev[t]) / oneMinus;
            posteriorMeanCoef2[t] = (1 - alphasCumprodPrev[t]) * Math.sqrt(alphas[t]) / oneMinus;
        }
        // β̃_0 is 0; its log is replaced by log β̃_1, as in Ho et al.'s code
        for (int t = 0; t < n; t++) {
            posteriorLogVarianceClipped[t] = Math.log(posteriorVariance[t == 0 && n > 1 ? 1 : t]);
        }
    }

    /** Linear β from 1e-4 to 0.02 over {@code steps} steps (Ho et al.'s schedule at T = 1000). */
    public static NoiseSchedule linear(int steps) {
        return linear(steps, LINEAR_BETA_START, LINEAR_BETA_END);
    }

    /** Linear β from {@code betaStart} to {@code betaEnd} inclusive. */
    public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
        requireSteps(steps);
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) {
            b[t] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * t / (steps - 1);
        }
        return new NoiseSchedule(Kind.LINEAR, b);
    }

    /** The cosine schedule of Nichol &amp; Dhariwal (2021). */
    public static NoiseSchedule cosine(int steps) {
        requireSteps(steps);
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) {
            double ratio = cosineAlphaBar(t + 1, steps) / cosineAlphaBar(t, steps);
            b[t] = Math.min(1 - ratio, COSINE_MAX_BETA);
        }
        return new NoiseSchedule(Kind.COSINE, b);
    }

    private static double cosineAlphaBar(int t, int steps) {
        double c = Math.cos(((double) t / steps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    private static void requireSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("NoiseSchedule: steps must be positive, got " + steps);
        }
    }

    // ---- values ---------------------------------------------------------------------------------------

    public Kind kind() {
        return kind;
    }

    /** T, the number of noising steps. */
    public int steps() {
        return betas.length;
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphas() {
        return alphas.clone();
    }

    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** ᾱ_{t−1}, with ᾱ_{−1} = 1. */
    public double[] alphasCumprodPrev() {
        return alphasCumprodPrev.clone();
    }

    public double[] posteriorVariance() {
        return posteriorVariance.clone();
    }

    public double[] posteriorLogVarianceClipped() {
        return posteriorLogVarianceClipped.clone();
    }

    public double[] posteriorMeanCoef1() {
        return posteriorMeanCoef1.clone();
    }

    public double[] posteriorMeanCoef2() {
        return posteriorMeanCoef2.clone();
    }

    /** ᾱ_t for one step; {@code t = −1} gives 1 (no noise), which DDIM's last step uses. */
    public double alphaBar(int t) {
        if (t == -1) {
            return 1;
        }
        requireStep(t);
        return alphasCumprod[t];
    }

    double posteriorMeanCoef1(int t) {
        return posteriorMeanCoef1[t];
    }

    double posteriorMeanCoef2(int t) {
        return posteriorMeanCoef2[t];
    }

    double posteriorLogVarianceClipped(int t) {
        return posteriorLogVarianceClipped[t];
    }

    private void requireStep(long t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException("NoiseSchedule: step " + t + " is outside [0, " + betas.length + ")");
        }
    }

    // ---- q(x_t | x_0) and the training targets ---------------------------------------------------------

    /**
     * A sample of {@code q(x_t | x₀)}: {@code √ᾱ_t·x₀ + √(1−ᾱ_t)·noise}, for one step per batch element.
     *
     * @param x0    clean data (B, …)
     * @param t     int64 steps (B)
     * @param noise standard normal noise, the shape of {@code x0}
     */
    public Tensor qSample(Tensor x0, Tensor t, Tensor noise) {
        requireSameShape("qSample", x0, noise);
        long[] steps = batchSteps("qSample", x0, t);
        return x0.mul(perSample(x0, steps, s -> Math.sqrt(alphasCumprod[s])))
                .add(noise.mul(perSample(x0, steps, s -> Math.sqrt(1 - alphasCumprod[s]))));
    }

    /** The regression target of {@code prediction} for a pair (x₀, ε) at steps {@code t}: ε, x₀ or v. */
    public Tensor target(Prediction prediction, Tensor x0, Tensor t, Tensor noise) {
        requireSameShape("target", x0, noise);
        long[] steps = batchSteps("target", x0, t);
        return switch (prediction) {
            case EPSILON -> noise;
            case X0 -> x0;
            case V -> noise.mul(perSample(x0, steps, s -> Math.sqrt(alphasCumprod[s])))
                    .sub(x0.mul(perSample(x0, steps, s -> Math.sqrt(1 - alphasCumprod[s]))));
        };
    }

    /** x₀ implied by a denoiser's {@code output} at (x_t, t). */
    public Tensor predictX0(Prediction prediction, Tensor xt, Tensor t, Tensor output) {
        requireSameShape("predictX0", xt, output);
        long[] steps = batchSteps("predictX0", xt, t);
        return switch (prediction) {
            // x₀ = (x_t − √(1−ᾱ)·ε)/√ᾱ
            case EPSILON -> xt.mul(perSample(xt, steps, s -> 1 / Math.sqrt(alphasCumprod[s])))
                    .sub(output.mul(perSample(xt, steps, s -> Math.sqrt(1 / alphasCumprod[s] - 1))));
            case X0 -> output;
            // x₀ = √ᾱ·x_t − √(1−ᾱ)·v
            case V -> xt.mul(perSample(xt, steps, s -> Math.sqrt(alphasCumprod[s])))
                    .sub(output.mul(perSample(xt, steps, s -> Math.sqrt(1 - alphasCumprod[s]))));
        };
    }

    /** ε implied by a denoiser's {@code output} at (x_t, t). */
    public Tensor predictEpsilon(Prediction prediction, Tensor xt, Tensor t, Tensor output) {
        requireSameShape("predictEpsilon", xt, output);
        long[] steps = batchSteps("predictEpsilon", xt, t);
        return switch (prediction) {
            case EPSILON -> output;
            // ε = (x_t − √ᾱ·x₀)/√(1−ᾱ)
            case X0 -> xt.sub(output.mul(perSample(xt, steps, s -> Math.sqrt(alphasCumprod[s]))))
                    .mul(perSample(xt, steps, s -> 1 / Math.sqrt(1 - alphasCumprod[s])));
            // ε = √(1−ᾱ)·x_t + √ᾱ·v
            case V -> xt.mul(perSample(xt, steps, s -> Math.sqrt(1 - alphasCumprod[s])))
                    .add(output.mul(perSample(xt, steps, s -> Math.sqrt(alphasCumprod[s]))));
        };
    }

    /** A (B, 1, …, 1) tensor of {@code x}'s dtype holding {@code f(t_b)} for each batch element. */
    Tensor perSample(Tensor x, long[] steps, java.util.function.IntToDoubleFunction f) {
        long[] shape = new long[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = steps.length;
        double[] v = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            v[i] = f.applyAsDouble((int) steps[i]);
        }
        Tensor c = Tensor.of(v, shape);
        return x.dtype() == DType.FLOAT64 ? c : c.to(x.dtype());
    }

    /** Checks {@code t} is (B) int64 within the schedule and returns its values. */
    long[] batchSteps(String op, Tensor x, Tensor t) {
        if (x.rank() < 1 || t.rank() != 1 || t.size(0) != x.size(0)) {
            throw new IllegalArgumentException(op + ": steps " + Shape.format(t.shape()) + " must be (B) for input "
                    + Shape.format(x.shape()));
        }
        if (t.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": steps must be int64, got " + t.dtype());
        }
        long[] steps = t.toLongArray();
        for (long s : steps) {
            requireStep(s);
        }
        return steps;
    }

    private static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " differ");
        }
    }

    @Override
    public String toString() {
        return "NoiseSchedule(" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", T=" + steps() + ")";
    }
}
