package org.latent4j.core.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Reverse-mode differentiation over the dynamic graph: a topological sort from the output, then one walk
 * in reverse that hands each node its output's gradient. Gradients of a tensor used twice add up.
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Accumulates d(output)/d(leaf), weighted by {@code seed}, into the {@code grad} of every leaf that
     * requires one. {@code seed} may be null for a scalar output (it is then 1).
     */
    public static void backward(Tensor output, Tensor seed, GraphMode mode) {
        run(output, seed, mode, null);
    }

    /**
     * The gradients of {@code output} with respect to {@code inputs}, returned rather than accumulated
     * (PyTorch's {@code torch.autograd.grad}). With {@link GraphMode#CREATE} they can be differentiated again,
     * as a gradient penalty needs. An input that {@code output} does not depend on gets a zero gradient.
     */
    public static Tensor[] grad(Tensor output, Tensor[] inputs, GraphMode mode) {
        IdentityHashMap<Tensor, Tensor> wanted = new IdentityHashMap<>();
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("grad: an input does not require grad (shape "
                        + Shape.format(in.shape()) + ")");
            }
            wanted.put(in, null);
        }
        run(output, null, mode, wanted);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = wanted.get(inputs[i]);
            result[i] = g != null ? g : Tensor.zerosLike(inputs[i]);
        }
        return result;
    }

    private static void run(Tensor output, Tensor seed, GraphMode mode, Map<Tensor, Tensor> wanted) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the output does not require grad (no input of the graph "
                    + "requires grad, or it was computed under GradMode.noGrad())");
        }
        if (seed == null) {
            if (output.numel() != 1) {
                throw new IllegalArgumentException("backward: output of shape " + Shape.format(output.shape())
                        + " is not a scalar; pass a seed gradient of the same shape");
            }
            seed = Tensor.onesLike(output);
        } else if (!java.util.Arrays.equals(seed.shape(), output.shape())) {
            throw new IllegalArgumentException("backward: seed shape " + Shape.format(seed.shape())
                    + " differs from output shape " + Shape.format(output.shape()));
        }
        List<Tensor> order = topologicalOrder(output);
        IdentityHashMap<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, seed);
        try (GradMode.Scope scope = GradMode.set(mode == GraphMode.CREATE)) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (wanted != null && wanted.containsKey(t)) {
                    wanted.put(t, g);
                }
                Node node = t.gradFn();
                if (node == null) {
                    if (wanted == null) {
                        accumulateLeaf(t, g, mode);
                    }
                    continue;
                }
                Tensor[] inputGrads = node.apply(g);
                Tensor[] inputs = node.inputs();
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    Tensor ig = inputGrads[k];
                    if (in == null || ig == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!java.util.Arrays.equals(ig.shape(), in.shape())) {
                        throw new IllegalStateException("backward of '" + node.op() + "' gave input " + k
                                + " a gradient of shape " + Shape.format(ig.shape()) + " for shape "
                                + Shape.format(in.shape()));
                    }
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? ig : prev.add(ig));
                }
                if (mode == GraphMode.DISCARD) {
                    node.release();
                }
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g, GraphMode mode) {
        if (mode == GraphMode.CREATE) {
            Tensor existing = leaf.grad();
            leaf.setGrad(existing == null ? g : existing.add(g));
            return;
        }
        // A leaf's gradient outlives the step's arena: it is reused across steps by zeroGrad.
        leaf.accumulateGrad(g);
    }

    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.gradFn();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            boolean pushed = false;
            while (next < inputs.length) {
                Tensor in = inputs[next++];
                if (in != null && in.requiresGrad() && !visited.containsKey(in)) {
                    visited.put(in, Boolean.TRUE);
                    frame[1] = next;
                    stack.push(new Object[] {in, 0});
                    pushed = true;
                    break;
                }
            }
            if (!pushed) {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
