package org.latent4j.core.autograd;

import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How an op joins the graph. An op computes its output value with ND4J or a kernel, then calls
 * {@link #record} with the rule for its backward, written right below the forward. The result requires
 * a gradient when grad mode is on and any input does; otherwise no node is kept.
 *
 * <p>The backward rule is written with {@link Tensor} ops, so that with {@link GraphMode#CREATE} the
 * gradient is itself a differentiable function of the inputs (higher-order gradients). Rules that call
 * raw kernels instead must not be used with {@code CREATE}; they call {@link #firstOrderOnly}.
 */
public final class Graph {
    private Graph() {
    }

    /**
     * Wraps an op's freshly allocated output (owned by the current {@link Arena}) and links it to its inputs.
     */
    public static Tensor record(String op, INDArray value, Node.Backward backward, Tensor... inputs) {
        Arena.track(value);
        return link(op, value, backward, inputs);
    }

    /**
     * Like {@link #record}, for an output that shares its inputs' memory (reshape, permute, slice):
     * the arena never frees it, since its buffer belongs to someone else.
     */
    public static Tensor recordView(String op, INDArray value, Node.Backward backward, Tensor... inputs) {
        return link(op, value, backward, inputs);
    }

    /** A freshly allocated array that takes part in no graph (a mask, a random draw), owned by the arena. */
    public static Tensor constant(INDArray value) {
        Arena.track(value);
        return Tensor.wrap(value);
    }

    private static Tensor link(String op, INDArray value, Node.Backward backward, Tensor[] inputs) {
        if (!GradMode.isEnabled()) {
            return Tensor.wrap(value);
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                return Tensor.fromNode(value, new Node(op, inputs.clone(), backward));
            }
        }
        return Tensor.wrap(value);
    }

    /** Called by backward rules built on raw kernels: they cannot be differentiated a second time. */
    public static void firstOrderOnly(String op) {
        if (GradMode.isEnabled()) {
            throw new UnsupportedOperationException("'" + op + "' has no second derivative yet: "
                    + "GraphMode.CREATE cannot differentiate through it");
        }
    }
}
