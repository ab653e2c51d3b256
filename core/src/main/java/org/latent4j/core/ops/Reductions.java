package org.latent4j.core.ops;

import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reductions along axes, with or without keeping the reduced axes as size 1. */
public final class Reductions {
    private Reductions() {
    }

    /** Sum of all elements, a scalar of shape (). */
    public static Tensor sum(Tensor x) {
        return sum(x, new int[0], false);
    }

    /** Sum over {@code axes} (all axes when empty). */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("sum", axes, x.rank());
        long[] inShape = x.shape();
        INDArray out = x.value().sum(keepDims, ax);
        long[] kept = keptShape(inShape, ax);
        return Graph.record("sum", out, g -> new Tensor[] {
            Shapes.expand(Shapes.reshape(g, kept), inShape)
        }, x);
    }

    /** Mean of all elements, a scalar of shape (). */
    public static Tensor mean(Tensor x) {
        return mean(x, new int[0], false);
    }

    /** Mean over {@code axes} (all axes when empty). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Shape.axes("mean", axes, x.rank());
        long count = 1;
        for (int a : ax) {
            count *= x.shape()[a];
        }
        return Elementwise.mul(sum(x, ax, keepDims), 1.0 / count);
    }

    /** The input shape with each reduced axis set to 1. */
    static long[] keptShape(long[] shape, int[] axes) {
        long[] kept = shape.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        return kept;
    }
}
