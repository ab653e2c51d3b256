package org.latent4j.flow;

import java.util.ArrayList;
import java.util.List;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.tensor.Tensor;

/**
 * Bijectors applied one after another: {@code z = f_K ∘ … ∘ f_1 (x)}, whose log-determinant is the sum of
 * theirs (the chain rule for Jacobians); the inverse runs them backwards. Children are named {@code 0, 1, …} as
 * in PyTorch's {@code nn.Sequential}.
 */
public final class Chain extends Bijector {
    private final List<Bijector> steps;

    public Chain(List<? extends Bijector> steps) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("Chain: needs at least one bijector");
        }
        this.steps = List.copyOf(steps);
        for (int i = 0; i < this.steps.size(); i++) {
            registerModule(Integer.toString(i), this.steps.get(i));
        }
    }

    public Chain(Bijector... steps) {
        this(List.of(steps));
    }

    @Override
    public Output forward(Tensor x) {
        Tensor h = x;
        Tensor logDet = null;
        for (Bijector b : steps) {
            Output o = b.forward(h);
            h = o.z();
            logDet = logDet == null ? o.logDet() : Elementwise.add(logDet, o.logDet());
        }
        return new Output(h, logDet);
    }

    @Override
    public Tensor inverse(Tensor z) {
        Tensor h = z;
        for (int i = steps.size() - 1; i >= 0; i--) {
            h = steps.get(i).inverse(h);
        }
        return h;
    }

    @Override
    public long[] forwardShape(long[] eventShape) {
        long[] s = eventShape.clone();
        for (Bijector b : steps) {
            s = b.forwardShape(s);
        }
        return s;
    }

    public List<Bijector> steps() {
        return new ArrayList<>(steps);
    }

    @Override
    protected String extraRepr() {
        return "steps=" + steps.size();
    }
}
