package org.latent4j.core.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latent4j.core.nn.Module;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a model's parameters, {@code θ̄ ← d·θ̄ + (1 − d)·θ} after each optimizer
 * step, whose weights usually sample better than the raw ones (diffusion models, GANs). With warmup, the
 * decay at update {@code n} (counted from 0) is {@code min(decay, 1 − (1 + n/invGamma)^(−power))}, as in
 * common diffusion code (diffusers' {@code EMAModel} with {@code use_ema_warmup}), so early averages are not
 * dominated by the random initialization. Buffers (BatchNorm statistics) are not averaged.
 *
 * <pre>{@code
 * Ema ema = new Ema(model, Ema.Options.of(0.999).withWarmup());
 * ... optimizer.step(); ema.update();
 * ema.store(); ema.copyTo(model); sample(model); ema.restore();
 * }</pre>
 */
public final class Ema {
    /** Target decay and the optional warmup's {@code invGamma} and {@code power}. */
    public record Options(double decay, boolean warmup, double invGamma, double power) {
        public Options {
            if (!(decay >= 0 && decay <= 1)) {
                throw new IllegalArgumentException("Ema: decay must lie in [0, 1], got " + decay);
            }
            if (!(invGamma > 0) || !(power > 0)) {
                throw new IllegalArgumentException("Ema: invGamma and power must be positive, got " + invGamma
                        + " and " + power);
            }
        }

        /** A constant decay, no warmup. */
        public static Options of(double decay) {
            return new Options(decay, false, 1, 2.0 / 3.0);
        }

        /** Warmup with diffusers' defaults, invGamma 1 and power 2/3. */
        public Options withWarmup() {
            return new Options(decay, true, 1, 2.0 / 3.0);
        }

        public Options withWarmup(double invGammaValue, double powerValue) {
            return new Options(decay, true, invGammaValue, powerValue);
        }
    }

    private final Module model;
    private final Options options;
    private final LinkedHashMap<String, Tensor> params;
    private final LinkedHashMap<String, INDArray> shadow = new LinkedHashMap<>();
    private LinkedHashMap<String, INDArray> backup;
    private long updates;

    /** Starts the average at the model's current parameters. */
    public Ema(Module model, Options options) {
        this.model = model;
        this.options = options;
        this.params = model.namedParameters();
        params.forEach((n, p) -> shadow.put(n, p.value().dup('c')));
    }

    /** The decay the next {@link #update()} will use. */
    public double currentDecay() {
        if (!options.warmup()) {
            return options.decay();
        }
        double warm = 1 - Math.pow(1 + updates / options.invGamma(), -options.power());
        return Math.min(options.decay(), warm);
    }

    /** Moves the average toward the model's current parameters. */
    public void update() {
        double d = currentDecay();
        params.forEach((n, p) -> {
            INDArray s = shadow.get(n);
            s.muli(d);
            Optimizer.axpy(1 - d, p.value(), s);
        });
        updates++;
    }

    /** Number of updates so far. */
    public long numUpdates() {
        return updates;
    }

    /**
     * Writes the averaged weights into {@code target}'s parameters, matched by name: the tracked model itself
     * or another instance of the same architecture.
     */
    public void copyTo(Module target) {
        LinkedHashMap<String, Tensor> dst = target.namedParameters();
        for (Map.Entry<String, INDArray> e : shadow.entrySet()) {
            Tensor p = dst.get(e.getKey());
            if (p == null || !Arrays.equals(p.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("Ema.copyTo: target has no parameter '" + e.getKey() + "' of shape "
                        + Shape.format(e.getValue().shape()));
            }
        }
        shadow.forEach((n, s) -> dst.get(n).value().assign(s));
    }

    /** Saves the model's current parameters, to be put back by {@link #restore()} after evaluating the average. */
    public void store() {
        if (backup == null) {
            backup = new LinkedHashMap<>();
            params.forEach((n, p) -> backup.put(n, p.value().dup('c')));
        } else {
            params.forEach((n, p) -> backup.get(n).assign(p.value()));
        }
    }

    /** Puts back the parameters saved by {@link #store()}. */
    public void restore() {
        if (backup == null) {
            throw new IllegalStateException("Ema.restore: store() was never called");
        }
        params.forEach((n, p) -> p.value().assign(backup.get(n)));
    }

    /** The averaged weights by parameter name (shared, not copied), plus {@code num_updates} as a scalar. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        shadow.forEach((n, s) -> out.put(n, Tensor.wrap(s)));
        out.put("num_updates", Tensor.wrap(org.nd4j.linalg.factory.Nd4j.scalar((double) updates)));
        return out;
    }

    /** Restores a state saved by {@link #stateDict()}; every name and shape must match. */
    public void loadStateDict(Map<String, Tensor> state) {
        for (Map.Entry<String, INDArray> e : shadow.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null || !Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("Ema.loadStateDict: expected '" + e.getKey() + "' of shape "
                        + Shape.format(e.getValue().shape()) + (src == null ? ", missing" : ", got "
                        + Shape.format(src.shape())));
            }
        }
        if (!state.containsKey("num_updates") || state.size() != shadow.size() + 1) {
            throw new IllegalArgumentException("Ema.loadStateDict: expected the " + shadow.size()
                    + " parameter names and num_updates, got " + state.keySet());
        }
        shadow.forEach((n, s) -> s.assign(state.get(n).value()));
        updates = (long) state.get("num_updates").item();
    }
}
