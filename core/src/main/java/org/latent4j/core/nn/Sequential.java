package org.latent4j.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.latent4j.core.tensor.Tensor;

/**
 * Layers applied one after another; the i-th is registered under the name {@code "i"}, so parameter names
 * match PyTorch's {@code nn.Sequential} ({@code 0.weight}, {@code 2.bias}).
 */
public class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer layer : layers) {
            append(layer);
        }
    }

    public Sequential(List<? extends Layer> layers) {
        for (Layer layer : layers) {
            append(layer);
        }
    }

    /** Adds a layer at the end, named by its index; returns this. */
    public final Sequential append(Layer layer) {
        registerModule(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Layer layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }

    public final Layer get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " out of range for "
                    + layers.size() + " layers");
        }
        return layers.get(index);
    }

    public final int size() {
        return layers.size();
    }

    /** The layers in order (unmodifiable). */
    public final List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }
}
