package org.latent4j.core.ops;

import java.util.Arrays;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.factory.Nd4j;

/** Shape and indexing ops: views where the memory allows, copies otherwise. */
public final class Shapes {
    private Shapes() {
    }

    /** The same elements in a new shape (row-major order); one size may be −1 and is inferred. */
    public static Tensor reshape(Tensor x, long... shape) {
        long[] target = inferShape("reshape", x.shape(), shape);
        long[] original = x.shape();
        INDArray out = x.value().reshape('c', target);
        return recordMaybeView("reshape", out, g -> new Tensor[] {reshape(g, original)}, x);
    }

    static long[] inferShape(String op, long[] from, long[] shape) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one size may be -1 in " + Shape.format(shape));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + Shape.format(shape));
            } else {
                known *= shape[i];
            }
        }
        long n = Shape.numel(from);
        long[] out = shape.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot view " + Shape.format(from) + " as "
                        + Shape.format(shape));
            }
            out[infer] = n / known;
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot view " + Shape.format(from) + " (" + n
                    + " elements) as " + Shape.format(shape) + " (" + known + " elements)");
        }
        return out;
    }

    /** Swaps two axes (a view). */
    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int a = Shape.axis("transpose", axis0, x.rank());
        int b = Shape.axis("transpose", axis1, x.rank());
        int[] perm = new int[x.rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** Reorders the axes (a view): output axis i is input axis {@code perm[i]}. */
    public static Tensor permute(Tensor x, int... perm) {
        if (perm.length != x.rank()) {
            throw new IllegalArgumentException("permute: " + perm.length + " axes given for a tensor of shape "
                    + Shape.format(x.shape()));
        }
        int[] inverse = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shape.axis("permute", perm[i], perm.length);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: axis " + p + " repeated in " + Arrays.toString(perm));
            }
            seen[p] = true;
            inverse[p] = i;
        }
        int[] normalized = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            normalized[i] = Shape.axis("permute", perm[i], perm.length);
        }
        INDArray out = x.value().permute(normalized);
        return Graph.recordView("permute", out, g -> new Tensor[] {permute(g, inverse)}, x);
    }

    /** Broadcasts {@code x} to {@code shape} (NumPy rules), materialized. */
    public static Tensor expand(Tensor x, long... shape) {
        long[] result = Shape.broadcast("expand", x.shape(), shape);
        if (!Arrays.equals(result, shape)) {
            throw new IllegalArgumentException("expand: " + Shape.format(x.shape()) + " cannot expand to "
                    + Shape.format(shape));
        }
        long[] original = x.shape();
        if (Arrays.equals(original, shape)) {
            return x;
        }
        INDArray out = Nd4j.createUninitialized(x.value().dataType(), shape.clone());
        Nd4j.exec(new BroadcastTo(x.value(), shape.clone(), out));
        return Graph.record("expand", out, g -> new Tensor[] {sumTo(g, original)}, x);
    }

    /**
     * Sums {@code g} down to {@code shape}, undoing a broadcast: leading axes are summed away and axes where
     * {@code shape} has size 1 are summed with keepDims. The backward of every broadcasting op ends here.
     */
    public static Tensor sumTo(Tensor g, long[] shape) {
        long[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: cannot sum " + Shape.format(gs) + " to larger rank "
                    + Shape.format(shape));
        }
        int count = 0;
        int[] axes = new int[gs.length];
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes[count++] = i;
            } else if (shape[i - lead] != gs[i]) {
                throw new IllegalArgumentException("sumTo: " + Shape.format(gs) + " is not a broadcast of "
                        + Shape.format(shape));
            }
        }
        Tensor summed = count == 0 ? g : Reductions.sum(g, Arrays.copyOf(axes, count), true);
        return reshape(summed, shape);
    }

    /** Records an output that may or may not share the input's memory (reshape copies a non-contiguous input). */
    static Tensor recordMaybeView(String op, INDArray out, org.latent4j.core.autograd.Node.Backward backward,
            Tensor x) {
        if (out.data().underlyingDataBuffer() == x.value().data().underlyingDataBuffer()) {
            return Graph.recordView(op, out, backward, x);
        }
        return Graph.record(op, out, backward, x);
    }
}
