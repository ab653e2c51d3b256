package org.latent4j.core.optim;

import java.util.List;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (Kingma &amp; Ba, 2015) with PyTorch's bias correction and L2 weight decay added to the gradient:
 * <pre>
 * g ← g + λ·θ
 * m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * {@link AdamW} decouples the decay instead.
 */
public class Adam extends Optimizer {
    /** Learning rate, moment decay rates, the denominator's epsilon and the weight decay λ. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Options {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: betas must lie in [0, 1), got " + beta1 + " and " + beta2);
            }
            if (!(eps >= 0)) {
                throw new IllegalArgumentException("Adam: eps must be non-negative, got " + eps);
            }
        }

        /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Options defaults() {
            return new Options(1e-3, 0.9, 0.999, 1e-8, 0);
        }

        public Options withLr(double value) {
            return new Options(value, beta1, beta2, eps, weightDecay);
        }

        public Options withBetas(double b1, double b2) {
            return new Options(lr, b1, b2, eps, weightDecay);
        }

        public Options withEps(double value) {
            return new Options(lr, beta1, beta2, value, weightDecay);
        }

        public Options withWeightDecay(double value) {
            return new Options(lr, beta1, beta2, eps, value);
        }
    }

    private final Options options;
    private final boolean decoupled;

    public Adam(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** One group per {@link ParamGroup}; settings a group leaves unset come from {@code options}. */
    public Adam(Options options, ParamGroup... groups) {
        this("Adam", List.of(groups), options, false);
    }

    Adam(String name, List<ParamGroup> groups, Options options, boolean decoupled) {
        super(name, groups, options.lr(), options.weightDecay(), List.of("exp_avg", "exp_avg_sq"));
        this.options = options;
        this.decoupled = decoupled;
    }

    public Options options() {
        return options;
    }

    @Override
    protected void update(INDArray param, INDArray grad, State state, Group group) {
        double b1 = options.beta1();
        double b2 = options.beta2();
        double lr = group.lr();
        double wd = group.weightDecay();
        INDArray m = state.zerosBuffer("exp_avg", param);
        INDArray v = state.zerosBuffer("exp_avg_sq", param);
        double bias1 = 1 - Math.pow(b1, state.step);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(b2, state.step));
        if (Kernels.hasAdamStep(param, grad, m, v)) {
            // one fused pass instead of the ten ND4J ops below
            Kernels.adamStep(param, grad, m, v, wd != 0 && decoupled ? 1 - lr * wd : 1, wd != 0 && !decoupled ? wd : 0,
                    b1, b2, lr / bias1, bias2Sqrt, options.eps());
            return;
        }
        INDArray tmp = state.scratch(param);
        INDArray g = grad;
        if (wd != 0 && decoupled) {
            param.muli(1 - lr * wd);
        } else if (wd != 0) {
            g = tmp.assign(grad);
            axpy(wd, param, g);
        }
        m.muli(b1);
        axpy(1 - b1, g, m);
        g.muli(g, tmp);                                   // tmp = g², g may be tmp itself
        v.muli(b2);
        axpy(1 - b2, tmp, v);
        Nd4j.exec(new Sqrt(v, tmp));
        tmp.divi(bias2Sqrt).addi(options.eps());          // tmp = √v / √(1 − β₂ᵗ) + ε
        m.divi(tmp, tmp);                                 // tmp = m / denominator
        axpy(-lr / bias1, tmp, param);
    }
}
