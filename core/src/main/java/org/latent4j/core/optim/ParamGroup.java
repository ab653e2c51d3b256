package org.latent4j.core.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.latent4j.core.tensor.Tensor;

/**
 * Parameters that share a learning rate and weight decay, chosen by a predicate rather than by name:
 * {@code ParamGroup.of(model.parameters(), p -> p.rank() >= 2).withWeightDecay(0.1)}. A setting left unset
 * (null) takes the optimizer's value.
 */
public record ParamGroup(List<Tensor> params, Double lr, Double weightDecay) {
    public ParamGroup {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup: params is null");
        }
        params = List.copyOf(params);
        if (lr != null && !(lr >= 0)) {
            throw new IllegalArgumentException("ParamGroup: lr must be non-negative, got " + lr);
        }
        if (weightDecay != null && !(weightDecay >= 0)) {
            throw new IllegalArgumentException("ParamGroup: weightDecay must be non-negative, got " + weightDecay);
        }
    }

    /** All of {@code params}, with the optimizer's settings. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params, null, null);
    }

    /** The parameters that satisfy {@code select}, in their original order. */
    public static ParamGroup of(List<Tensor> params, Predicate<Tensor> select) {
        List<Tensor> chosen = new ArrayList<>();
        for (Tensor p : params) {
            if (select.test(p)) {
                chosen.add(p);
            }
        }
        return new ParamGroup(chosen, null, null);
    }

    public ParamGroup withLr(double value) {
        return new ParamGroup(params, value, weightDecay);
    }

    public ParamGroup withWeightDecay(double value) {
        return new ParamGroup(params, lr, value);
    }
}
