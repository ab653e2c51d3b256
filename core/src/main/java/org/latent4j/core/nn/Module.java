package org.latent4j.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * A piece of a model that owns parameters, buffers and child modules, registered explicitly and in order
 * by its constructor, as PyTorch's {@code nn.Module} does. Names join with dots into the keys PyTorch's
 * {@code state_dict} uses ({@code blocks.0.attn.qkv.weight}), so a PyTorch checkpoint loads mechanically.
 *
 * <p>Each subclass defines its own typed {@code forward} ({@code forward(Tensor x)},
 * {@code forward(Tensor x, Tensor context)}); modules with a single-tensor forward extend {@link Layer} so they
 * can be chained in a {@link Sequential}.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** How {@link #loadStateDict} treats keys that are missing from the map or unknown to the module. */
    public enum LoadMode {
        /** Every key of the module must be present and no other key may be: PyTorch's {@code strict=True}. */
        STRICT,
        /** Missing and unexpected keys are reported in the result instead of failing. */
        NON_STRICT
    }

    /** What a non-strict load skipped: keys the module has but the map lacked, and keys it did not know. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    // ---- registration -------------------------------------------------------------------------------

    /** Registers a trainable parameter under {@code name} (marking it as requiring a gradient); returns it. */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        checkName(name, parameter == null);
        if (!parameter.isLeaf()) {
            throw new IllegalArgumentException(displayName() + ": parameter '" + name
                    + "' must be a leaf tensor, not the output of '" + parameter.gradFn().op() + "'");
        }
        if (!parameter.requiresGrad()) {
            parameter.requireGrad();
        }
        parameters.put(name, parameter);
        return parameter;
    }

    /**
     * Registers state that is saved in the state dict but not trained (BatchNorm's running statistics);
     * returns it.
     */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name, buffer == null);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Registers a child module under {@code name}; its entries are prefixed with {@code name.}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name, module == null);
        if (module == this) {
            throw new IllegalArgumentException(displayName() + ": a module cannot be its own child");
        }
        children.put(name, module);
        return module;
    }

    /**
     * A zero-filled tensor for a parameter or buffer, allocated outside any open {@link Arena} so that it
     * outlives the step it is made in.
     */
    protected static Tensor allocate(DType dtype, long... shape) {
        return Arena.outside(() -> Tensor.zeros(dtype, shape));
    }

    private void checkName(String name, boolean valueIsNull) {
        String owner = displayName();
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(owner + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (valueIsNull) {
            throw new IllegalArgumentException(owner + ": '" + name + "' is null");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(owner + ": '" + name + "' is already registered");
        }
    }

    // ---- traversal --------------------------------------------------------------------------------------

    /**
     * Every trainable parameter by dotted name, in registration order. A tensor registered in two places
     * (tied weights) is listed once, under the first name reached, as PyTorch's {@code named_parameters}.
     */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        visit("", (prefix, m) -> m.parameters.forEach((name, p) -> {
            if (seen.put(p, Boolean.TRUE) == null) {
                out.put(prefix + name, p);
            }
        }));
        return out;
    }

    /** The distinct trainable parameters, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * The parameters that are not frozen (that still require a gradient), by dotted name, in the order of
     * {@link #namedParameters()}: what to hand an optimizer after {@link #freeze()}ing part of a model.
     */
    public final LinkedHashMap<String, Tensor> namedTrainableParameters() {
        LinkedHashMap<String, Tensor> out = namedParameters();
        out.values().removeIf(p -> !p.requiresGrad());
        return out;
    }

    /** The distinct parameters that are not frozen, in the order of {@link #namedParameters()}. */
    public final List<Tensor> trainableParameters() {
        return new ArrayList<>(namedTrainableParameters().values());
    }

    /**
     * Freezes every parameter of this module and the modules below it, as PyTorch's
     * {@code requires_grad_(False)}: they stop requiring a gradient, so backward does not reach them (and does no
     * work for them), their gradients are dropped and optimizers skip them. Parameters tied into other modules
     * are frozen there too, being the same tensors. Returns this.
     */
    public Module freeze() {
        namedParameters().values().forEach(Tensor::disableGrad);
        return this;
    }

    /** Makes every parameter of this module and the modules below it trainable again; returns this. */
    public Module unfreeze() {
        namedParameters().values().forEach(Tensor::requireGrad);
        return this;
    }

    /** Every buffer (non-trained state) by dotted name, in registration order. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> m.buffers.forEach((name, b) -> out.put(prefix + name, b)));
        return out;
    }

    /** The direct children by name, in registration order. */
    public final LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /** This module and all modules below it, by dotted name ({@code ""} for this one), depth first. */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), m));
        return out;
    }

    /** Number of trainable scalars (tied weights counted once). */
    public final long numParameters() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /**
     * Sets every parameter's existing gradient to zero in place, keeping its memory (useful when several
     * optimizers or none share a model, as in GAN training); parameters without a gradient are left alone.
     */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) {
            if (p.grad() != null) {
                Kernels.fill(p.grad().value(), 0);
            }
        }
    }

    private void visit(String prefix, BiConsumer<String, Module> action) {
        action.accept(prefix, this);
        children.forEach((name, child) -> child.visit(prefix + name + ".", action));
    }

    // ---- modes ------------------------------------------------------------------------------------------

    /** Puts this module and every module below it in training mode (dropout active, batch statistics). */
    public Module train() {
        visit("", (prefix, m) -> m.training = true);
        return this;
    }

    /** Puts this module and every module below it in evaluation mode. */
    public Module eval() {
        visit("", (prefix, m) -> m.training = false);
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    // ---- state dict -------------------------------------------------------------------------------------

    /**
     * Parameters and buffers by dotted name, as PyTorch's {@code state_dict}: each module's parameters, then its
     * buffers, then its children's entries. Tied weights appear under each of their names. The tensors are
     * detached views sharing the module's memory; copy them to keep a snapshot.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> {
            m.parameters.forEach((name, p) -> out.put(prefix + name, p.detach()));
            m.buffers.forEach((name, b) -> out.put(prefix + name, b.detach()));
        });
        return out;
    }

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, converting dtype where
     * needed. Nothing is copied unless the whole map passes the checks: a shape mismatch is always an error,
     * missing and unexpected keys are errors in {@link LoadMode#STRICT} and reported in the result otherwise.
     *
     * @throws IllegalArgumentException listing every missing, unexpected and mis-shaped key
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, LoadMode mode) {
        LinkedHashMap<String, Tensor> own = new LinkedHashMap<>();
        visit("", (prefix, m) -> {
            m.parameters.forEach((name, p) -> own.put(prefix + name, p));
            m.buffers.forEach((name, b) -> own.put(prefix + name, b));
        });
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                misShaped.add(e.getKey() + ": expected " + Shape.format(e.getValue().shape()) + ", got "
                        + Shape.format(src.shape()));
            }
        }
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                unexpected.add(key);
            }
        }
        boolean strict = mode == LoadMode.STRICT;
        if (!misShaped.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder msg = new StringBuilder("loadStateDict: ").append(displayName())
                    .append(" does not match the state dict");
            if (strict && !missing.isEmpty()) {
                msg.append("; missing keys ").append(missing);
            }
            if (strict && !unexpected.isEmpty()) {
                msg.append("; unexpected keys ").append(unexpected);
            }
            if (!misShaped.isEmpty()) {
                msg.append("; shape mismatch for ").append(String.join(", ", misShaped));
            }
            throw new IllegalArgumentException(msg.toString());
        }
        try (GradMode.Scope ng = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    Tensor dst = e.getValue();
                    dst.value().assign(src.dtype() == dst.dtype() ? src.value() : src.value().castTo(dst.value().dataType()));
                }
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    // ---- printing ---------------------------------------------------------------------------------------

    /** The class's simple name, or its superclass's for an anonymous module. */
    private String displayName() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    /** A one-line description of this module's own configuration, e.g. {@code in=4, out=3}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree, as PyTorch prints it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(displayName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((name, child) -> {
                String inner = child.toString().replace("\n", "\n  ");
                sb.append("  (").append(name).append("): ").append(inner).append('\n');
            });
        }
        return sb.append(')').toString();
    }
}
