package org.latent4j.vae;

import java.util.List;
import org.latent4j.core.nn.Activation;
import org.latent4j.core.nn.Linear;
import org.latent4j.core.nn.ParamOptions;
import org.latent4j.core.nn.Sequential;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/** Pieces the encoders and decoders share: Linear + ReLU stacks, the class condition, the conv bottleneck. */
final class VaeLayers {
    private VaeLayers() {
    }

    /** Linear(in → w₀), ReLU, Linear(w₀ → w₁), ReLU, …: a ReLU after every layer, named 0, 1, 2, … */
    static Sequential mlp(int in, int[] widths, ParamOptions options, Rng rng) {
        Sequential s = new Sequential();
        int prev = in;
        for (int w : widths) {
            s.append(new Linear(prev, w, options, rng));
            s.append(Activation.relu());
            prev = w;
        }
        return s;
    }

    /** (B, F) with the one-hot (B, K) appended: (B, F + K); unchanged when {@code condition} is null. */
    static Tensor appendCondition(Tensor features, Tensor condition) {
        return condition == null ? features : Shapes.concat(List.of(features, condition), 1);
    }

    static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    /** Size of the conv encoder's flattened lowest feature map: C_last · (H / 2^s) · (W / 2^s). */
    static int lowestFeatures(VaeConfig c) {
        int[] h = c.hiddenDims();
        int s = h.length;
        return h[s - 1] * (c.height() >> s) * (c.width() >> s);
    }
}
