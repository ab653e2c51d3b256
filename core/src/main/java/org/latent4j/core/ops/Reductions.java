package org.latent4j.core.ops;

import static org.latent4j.core.ops.Elementwise.div;
import static org.latent4j.core.ops.Elementwise.exp;
import static org.latent4j.core.ops.Elementwise.mul;
import static org.latent4j.core.ops.Elementwise.sub;

import java.util.Arrays;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.transforms.comparison.CompareAndSet;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumProd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Reductions along axes, with or without keeping the reduced axes as size 1, and cumulative sums and
 * products. Backward rules broadcast the output gradient back over the reduced axes with tensor ops, so
 * sum, mean, var and logSumExp can be differentiated twice.
 */
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
        long[] kept = keptShape(inShape, ax);
        INDArray out;
        if (HostLoops.applies(x.value())) {
            out = Arena.allocate(x.value().dataType(), outShape(inShape, ax, keepDims));
            HostLoops.sum(x.value(), kept, out);
        } else {
            out = x.value().sum(keepDims, ax);
        }
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
        return Elementwise.mul(sum(x, ax, keepDims), 1.0 / count(x.shape(), ax));
    }

    /** The input shape with each reduced axis set to 1. */
    static long[] keptShape(long[] shape, int[] axes) {
        long[] kept = shape.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        return kept;
    }

    /**
     * Variance over {@code axes} (all when empty): Σ(x − mean)² / (N − correction), N the number of reduced
     * elements; correction 1 is the unbiased estimate (PyTorch's default), 0 the population variance.
     */
    public static Tensor var(Tensor x, int[] axes, boolean keepDims, double correction) {
        Elementwise.requireFloat("var", x);
        int[] ax = Shape.axes("var", axes, x.rank());
        long n = count(x.shape(), ax);
        if (n - correction <= 0) {
            throw new IllegalArgumentException("var: correction " + correction + " leaves no degrees of freedom for "
                    + n + " elements per reduction of " + Shape.format(x.shape()));
        }
        long[] kept = keptShape(x.shape(), ax);
        INDArray out = shaped(x.value().var(false, ax), outShape(x.shape(), ax, keepDims));
        out.muli(n / (n - correction));
        return Graph.record("var", out, g -> new Tensor[] {
            // d/dx = 2(x − mean) / (N − correction), broadcast over the reduced axes
            mul(mul(Shapes.reshape(g, kept), sub(x, mean(x, ax, true))), 2 / (n - correction))
        }, x);
    }

    /**
     * Largest value along {@code axis}. The gradient goes to the first maximal element of each slice (as
     * PyTorch's {@code max(dim)}, which routes it through the returned index).
     */
    public static Tensor max(Tensor x, int axis, boolean keepDims) {
        return extreme("max", x, axis, keepDims);
    }

    /** Smallest value along {@code axis}; the gradient goes to the first minimal element of each slice. */
    public static Tensor min(Tensor x, int axis, boolean keepDims) {
        return extreme("min", x, axis, keepDims);
    }

    private static Tensor extreme(String op, Tensor x, int axis, boolean keepDims) {
        Elementwise.requireFloat(op, x);
        int a = nonEmptyAxis(op, x, axis);
        int[] ax = {a};
        INDArray reduced = op.equals("max") ? x.value().max(keepDims, ax) : x.value().min(keepDims, ax);
        INDArray out = shaped(reduced, outShape(x.shape(), ax, keepDims));
        long[] kept = keptShape(x.shape(), ax);
        return Graph.record(op, out, g -> {
            INDArray index = op.equals("max") ? Nd4j.argMax(x.value(), a) : Nd4j.argMin(x.value(), a);
            INDArray hot = Nd4j.createUninitialized(x.value().dataType(), x.shape());
            Nd4j.exec(new OneHot(index, hot, (int) x.shape()[a], a, 1.0, 0.0));
            index.close();
            return new Tensor[] {mul(Shapes.reshape(g, kept), Graph.constant(hot))};
        }, x);
    }

    /**
     * log Σ exp(x) over {@code axes}, computed as m + log Σ exp(x − m) with m the maximum, so it neither
     * overflows nor underflows. Its gradient is the softmax over the reduced axes.
     */
    public static Tensor logSumExp(Tensor x, int[] axes, boolean keepDims) {
        Elementwise.requireFloat("logSumExp", x);
        int[] ax = Shape.axes("logSumExp", axes, x.rank());
        long[] kept = keptShape(x.shape(), ax);
        INDArray m = shaped(x.value().max(true, ax), kept);
        // a slice that is all −∞ (or holds +∞) keeps its value through the log below instead of turning NaN
        Nd4j.getExecutioner().exec(new CompareAndSet(m, 0.0, Conditions.isInfinite()));
        INDArray e = Elementwise.binaryRaw(new SubOp(), x.value(), m);
        Nd4j.exec(new Exp(e, e));
        INDArray out = shaped(e.sum(keepDims, ax), outShape(x.shape(), ax, keepDims));
        e.close();
        Nd4j.exec(new Log(out, out));
        out.addi(m.reshape(out.shape()));
        m.close();
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("logSumExp", out, g -> new Tensor[] {
            mul(Shapes.reshape(g, kept), exp(sub(x, Shapes.reshape(self[0], kept))))
        }, x);
        return self[0];
    }

    /** Index (int64) of the first largest value along {@code axis}; not differentiable. */
    public static Tensor argmax(Tensor x, int axis, boolean keepDims) {
        int a = nonEmptyAxis("argmax", x, axis);
        INDArray index = Nd4j.argMax(x.value(), a);
        if (index.dataType() != DataType.LONG) {
            index = index.castTo(DataType.LONG);
        }
        return Graph.constant(shaped(index, outShape(x.shape(), new int[] {a}, keepDims)));
    }

    /** Running sum along {@code axis}: out[i] = Σ_{j ≤ i} x[j]. */
    public static Tensor cumsum(Tensor x, int axis) {
        Elementwise.requireFloat("cumsum", x);
        return cumulativeSum(x, Shape.axis("cumsum", axis, x.rank()), false);
    }

    /** Forward or reverse running sum; each is the other's backward. */
    private static Tensor cumulativeSum(Tensor x, int axis, boolean reverse) {
        INDArray out = Arena.allocate(x.value().dataType(), x.shape());
        if (AxisLoops.applies(x.value())) {
            AxisLoops.cumsum(x.value(), axis, reverse, out);
        } else {
            Nd4j.exec(new CumSum(x.value(), out, false, reverse, axis));
        }
        return Graph.record(reverse ? "cumsum_reverse" : "cumsum", out,
                g -> new Tensor[] {cumulativeSum(g, axis, !reverse)}, x);
    }

    /**
     * Running product along {@code axis}: out[i] = Π_{j ≤ i} x[j]. The gradient Σ_{i ≥ k} g[i]·out[i] / x[k] is
     * written with tensor ops when x has no zeros; with zeros it is computed exactly without the division,
     * and then cannot be differentiated again.
     */
    public static Tensor cumprod(Tensor x, int axis) {
        Elementwise.requireFloat("cumprod", x);
        int a = Shape.axis("cumprod", axis, x.rank());
        INDArray out = Nd4j.createUninitialized(x.value().dataType(), x.shape());
        Nd4j.exec(new CumProd(x.value(), out, false, false, a));
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("cumprod", out, g -> {
            if (x.value().eq(0.0).any()) {
                Graph.firstOrderOnly("cumprod with zeros");
                return new Tensor[] {Graph.constant(cumprodGradWithZeros(x.value(), g.value(), a))};
            }
            return new Tensor[] {div(cumulativeSum(mul(g, self[0]), a, true), x)};
        }, x);
        return self[0];
    }

    /** dL/dx[k] = Σ_{i ≥ k} g[i] Π_{j ≤ i, j ≠ k} x[j], per slice along the axis, in O(K²) without dividing. */
    private static INDArray cumprodGradWithZeros(INDArray x, INDArray g, int axis) {
        int rank = x.rank();
        int[] toLast = new int[rank];
        int[] back = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != axis) {
                toLast[j++] = i;
            }
        }
        toLast[rank - 1] = axis;
        for (int i = 0; i < rank; i++) {
            back[toLast[i]] = i;
        }
        double[] xs = x.permute(toLast).dup('c').data().asDouble();
        double[] gs = g.permute(toLast).dup('c').data().asDouble();
        int k = (int) x.shape()[axis];
        double[] grad = new double[xs.length];
        for (int base = 0; base < xs.length; base += k) {
            double prefix = 1;
            for (int p = 0; p < k; p++) {
                double running = prefix;
                double sum = gs[base + p] * running;
                for (int i = p + 1; i < k; i++) {
                    running *= xs[base + i];
                    sum += gs[base + i] * running;
                }
                grad[base + p] = sum;
                prefix *= xs[base + p];
            }
        }
        long[] permuted = new long[rank];
        for (int i = 0; i < rank; i++) {
            permuted[i] = x.shape()[toLast[i]];
        }
        return Nd4j.create(grad, permuted, 'c').castTo(x.dataType()).permute(back).dup('c');
    }

    // ---- shape helpers --------------------------------------------------------------------------------

    private static int nonEmptyAxis(String op, Tensor x, int axis) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": needs at least one axis, got a scalar");
        }
        int a = Shape.axis(op, axis, x.rank());
        if (x.shape()[a] == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce the empty axis " + axis + " of "
                    + Shape.format(x.shape()));
        }
        return a;
    }

    private static long count(long[] shape, int[] axes) {
        long n = 1;
        for (int a : axes) {
            n *= shape[a];
        }
        return n;
    }

    /** The shape of a reduction's result: reduced axes kept as 1 or dropped. */
    static long[] outShape(long[] shape, int[] axes, boolean keepDims) {
        if (keepDims) {
            return keptShape(shape, axes);
        }
        long[] out = new long[shape.length - axes.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (Arrays.binarySearch(axes, i) < 0) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** {@code a} in {@code shape}: itself when it already has it, else a reshaped copy (a ND4J reduction's
     * result may drop or keep size-1 axes differently from NumPy). */
    private static INDArray shaped(INDArray a, long[] shape) {
        if (Arrays.equals(a.shape(), shape)) {
            return a;
        }
        INDArray r = a.reshape('c', shape).dup('c');
        a.close();
        return r;
    }
}
