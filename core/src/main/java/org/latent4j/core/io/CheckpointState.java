package org.latent4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.latent4j.core.tensor.Tensor;

/**
 * Everything needed to resume training: the model's state dict, the optimizer's state as named tensors,
 * the training {@link org.latent4j.core.tensor.Rng}'s state, the step, the model's config as JSON and a
 * free-form map of strings (run name, data loader position, ...). The maps keep their iteration order.
 */
public record CheckpointState(Map<String, Tensor> model, Map<String, Tensor> optimizer, long[] rngState, long step,
        JsonNode config, Map<String, String> extra) {

    public CheckpointState {
        if (model == null || optimizer == null || rngState == null || config == null || extra == null) {
            throw new IllegalArgumentException("CheckpointState: model, optimizer, rngState, config and extra "
                    + "must not be null (use empty maps, new long[0] or an empty ObjectNode)");
        }
        if (step < 0) {
            throw new IllegalArgumentException("CheckpointState: step must be non-negative, got " + step);
        }
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        optimizer = Collections.unmodifiableMap(new LinkedHashMap<>(optimizer));
        rngState = rngState.clone();
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    @Override
    public long[] rngState() {
        return rngState.clone();
    }
}
