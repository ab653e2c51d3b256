package org.latent4j.core.autograd;

import org.latent4j.core.tensor.Tensor;

/**
 * The record of one op application in the dynamic graph: its name, its inputs and the function that
 * maps the gradient of its output to the gradients of its inputs. Created by {@link Graph#record}.
 */
public final class Node {
    /** Maps the gradient of an op's output to its inputs' gradients (null where an input needs none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private final String op;
    private final Tensor[] inputs;
    private Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward through '" + op + "' a second time: the graph was freed by the "
                    + "first backward; pass GraphMode.RETAIN to keep it");
        }
        Tensor[] grads = backward.apply(gradOutput);
        if (grads.length != inputs.length) {
            throw new IllegalStateException("backward of '" + op + "' returned " + grads.length
                    + " gradients for " + inputs.length + " inputs");
        }
        return grads;
    }

    void release() {
        backward = null;
    }
}
