package org.latent4j.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An ordered list of sub-modules of one type, registered under their indices as PyTorch's
 * {@code nn.ModuleList} ({@code blocks.0.attn.qkv.weight}). It has no forward: its owner decides how the
 * modules are called.
 */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    public ModuleList() {
    }

    public ModuleList(List<? extends M> modules) {
        for (M m : modules) {
            add(m);
        }
    }

    /** Adds a module at the end, named by its index; returns it. */
    public M add(M module) {
        registerModule(Integer.toString(modules.size()), module);
        modules.add(module);
        return module;
    }

    public M get(int index) {
        if (index < 0 || index >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + index + " out of range for "
                    + modules.size() + " modules");
        }
        return modules.get(index);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<M> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }
}
