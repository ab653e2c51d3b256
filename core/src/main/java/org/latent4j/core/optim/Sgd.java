package org.latent4j.core.optim;

import java.util.List;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, as
 * PyTorch's {@code SGD}:
 * <pre>
 * g ← g + λ·θ
 * b ← g at the first step, else μ·b + (1 − τ)·g
 * θ ← θ − lr·(g + μ·b)  with Nesterov,  θ ← θ − lr·b  without
 * </pre>
 */
public final class Sgd extends Optimizer {
    /** Learning rate, momentum μ, dampening τ, weight decay λ and whether momentum is Nesterov's. */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Options {
            if (!(momentum >= 0)) {
                throw new IllegalArgumentException("Sgd: momentum must be non-negative, got " + momentum);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and zero dampening, got "
                        + "momentum " + momentum + " and dampening " + dampening);
            }
        }

        /** Plain SGD at the given learning rate (PyTorch has no default lr). */
        public static Options of(double lr) {
            return new Options(lr, 0, 0, 0, false);
        }

        public Options withMomentum(double value) {
            return new Options(lr, value, dampening, weightDecay, nesterov);
        }

        public Options withDampening(double value) {
            return new Options(lr, momentum, value, weightDecay, nesterov);
        }

        public Options withWeightDecay(double value) {
            return new Options(lr, momentum, dampening, value, nesterov);
        }

        /** Nesterov momentum (needs momentum > 0 and no dampening). */
        public Options withNesterov() {
            return new Options(lr, momentum, dampening, weightDecay, true);
        }
    }

    private final Options options;

    public Sgd(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** One group per {@link ParamGroup}; settings a group leaves unset come from {@code options}. */
    public Sgd(Options options, ParamGroup... groups) {
        super("Sgd", List.of(groups), options.lr(), options.weightDecay(), List.of("momentum_buffer"));
        this.options = options;
    }

    public Options options() {
        return options;
    }

    @Override
    protected void update(INDArray param, INDArray grad, State state, Group group) {
        double mu = options.momentum();
        INDArray d = grad;
        if (group.weightDecay() != 0) {
            d = state.scratch(param).assign(grad);
            axpy(group.weightDecay(), param, d);
        }
        if (mu != 0) {
            INDArray buf = state.buffers.get("momentum_buffer");
            if (buf == null) {
                buf = state.zerosBuffer("momentum_buffer", param).assign(d);
            } else {
                buf.muli(mu);
                axpy(1 - options.dampening(), d, buf);
            }
            if (options.nesterov()) {
                d = d == grad ? state.scratch(param).assign(grad) : d;
                axpy(mu, buf, d);
            } else {
                d = buf;
            }
        }
        axpy(-group.lr(), d, param);
    }
}
