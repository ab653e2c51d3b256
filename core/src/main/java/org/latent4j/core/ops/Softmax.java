package org.latent4j.core.ops;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.tensor.Arena;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SoftmaxBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax and log-softmax along one axis: {@code softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x)} and
 * {@code logSoftmax(x)ᵢ = xᵢ − log Σⱼ exp(xⱼ)}. softmax over the last axis of a float32 tensor runs the
 * {@link Kernels} seam (forward, and the first-order backward from the output); other axes and dtypes run
 * ND4J's native kernel into a preallocated output;
 * logSoftmax shifts by the maximum itself (ND4J's {@code log_softmax} underflows to −∞).
 * Each backward has two forms: with Tensor ops when the backward pass itself records a graph
 * ({@code GraphMode.CREATE}, so second-order gradients work) and with ND4J's kernels otherwise.
 */
public final class Softmax {
    private Softmax() {
    }

    /** exp(x) normalized to sum to 1 along {@code axis} (negative axes count from the end). */
    public static Tensor softmax(Tensor x, int axis) {
        int a = checkedAxis("softmax", x, axis);
        INDArray in = x.value();
        INDArray out = Arena.allocate(in.dataType(), in.shape());
        if (lastAxisFloat32(x, a)) {
            Kernels.softmaxLastAxis(in, out);
        } else {
            Nd4j.exec(new SoftMax(in, out, a));
        }
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("softmax", out, g -> new Tensor[] {softmaxBackward(x, self[0], g, a)}, x);
        return self[0];
    }

    /** dx = y ⊙ (g − Σ g ⊙ y), the sum along the softmax axis. */
    private static Tensor softmaxBackward(Tensor x, Tensor y, Tensor g, int axis) {
        if (GradMode.isEnabled()) {
            Tensor dot = Reductions.sum(g.mul(y), new int[] {axis}, true);
            return y.mul(g.sub(dot));
        }
        INDArray dx = Arena.allocate(g.value().dataType(), g.shape());
        if (lastAxisFloat32(x, axis) && g.dtype() == DType.FLOAT32) {
            Kernels.softmaxLastAxisBackward(y.value(), g.value(), dx);
        } else {
            Nd4j.exec(new SoftmaxBp(x.value(), g.value(), dx, axis));
        }
        return Graph.constant(dx);
    }

    /** log(softmax(x)) along {@code axis}, computed stably (never the log of an underflowed 0). */
    public static Tensor logSoftmax(Tensor x, int axis) {
        int a = checkedAxis("logSoftmax", x, axis);
        INDArray in = x.value();
        // ND4J's log_softmax takes the log of the softmax and gives −∞ where it underflows: shift by the max.
        INDArray max = in.max(true, a);
        INDArray out = in.sub(max);
        INDArray exp = Transforms.exp(out, true);
        INDArray logSum = Transforms.log(exp.sum(true, a), false);
        out.subi(logSum);
        for (INDArray temporary : new INDArray[] {max, exp, logSum}) {
            temporary.close();
        }
        return Graph.record("log_softmax", out, g -> new Tensor[] {logSoftmaxBackward(x, out, g, a)}, x);
    }

    /** dx = g − softmax(x) ⊙ Σ g, the sum along the axis. */
    private static Tensor logSoftmaxBackward(Tensor x, INDArray out, Tensor g, int axis) {
        if (GradMode.isEnabled()) {
            Tensor total = Reductions.sum(g, new int[] {axis}, true);
            return g.sub(softmax(x, axis).mul(total));
        }
        INDArray total = g.value().sum(true, axis);
        INDArray dx = Transforms.exp(out, true).muli(total).rsubi(g.value());
        total.close();
        return Graph.constant(dx);
    }

    /** The kernel seam's softmax covers the last axis of float32 tensors; other cases go to ND4J. */
    private static boolean lastAxisFloat32(Tensor x, int axis) {
        return axis == x.rank() - 1 && x.dtype() == DType.FLOAT32;
    }

    private static int checkedAxis(String op, Tensor x, int axis) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + x.dtype());
        }
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": a scalar has no axis " + axis + "; reshape it to (1,) first");
        }
        return Shape.axis(op, axis, x.rank());
    }
}
