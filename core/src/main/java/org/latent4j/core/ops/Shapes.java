package org.latent4j.core.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.autograd.Node;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.ShapeInfoCache;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Shape and indexing ops: views where the memory allows, copies otherwise. */
public final class Shapes {
    private Shapes() {
    }

    /** The same elements in a new shape (row-major order); one size may be −1 and is inferred. */
    public static Tensor reshape(Tensor x, long... shape) {
        long[] target = inferShape("reshape", x.shape(), shape);
        long[] original = x.shape();
        // not x.value().reshape: it builds a new native shape descriptor on every call, the largest cost of a
        // small backward pass once the arithmetic is cheap
        INDArray out = ShapeInfoCache.reshape(x.value(), target);
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
        INDArray out = Arena.allocate(x.value().dataType(), shape.clone());
        if (HostLoops.applies(x.value()) && HostLoops.fits(shape)) {
            HostLoops.broadcast(x.value(), out);
        } else {
            Elementwise.broadcastInto(x.value(), out);
        }
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

    /** Makes the memory row-major and dense: {@code x} itself when it already is, else a copy. */
    public static Tensor contiguous(Tensor x) {
        if (isDense(x.value())) {
            return x;
        }
        return Graph.record("contiguous", x.value().dup('c'), g -> new Tensor[] {g}, x);
    }

    /** True when {@code a} is row-major with default strides (its elements are one run of memory). */
    static boolean isDense(INDArray a) {
        return a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
    }

    // ---- size-1 axes and flattening (views where the memory allows) ---------------------------------

    /** Removes {@code axis}, which must have size 1. */
    public static Tensor squeeze(Tensor x, int axis) {
        int a = Shape.axis("squeeze", axis, x.rank());
        if (x.shape()[a] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axis + " of " + Shape.format(x.shape()) + " has size "
                    + x.shape()[a] + ", not 1");
        }
        long[] s = x.shape();
        long[] out = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != a) {
                out[j++] = s[i];
            }
        }
        return reshape(x, out);
    }

    /** Inserts a size-1 axis so that it becomes axis {@code axis} of the result (−1 appends). */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int a = Shape.axis("unsqueeze", axis, x.rank() + 1);
        long[] s = x.shape();
        long[] out = new long[s.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == a ? 1 : s[j++];
        }
        return reshape(x, out);
    }

    /** Merges axes {@code startAxis..endAxis} (inclusive) into one; a scalar becomes shape (1,). */
    public static Tensor flatten(Tensor x, int startAxis, int endAxis) {
        if (x.rank() == 0) {
            return reshape(x, 1);
        }
        int s = Shape.axis("flatten", startAxis, x.rank());
        int e = Shape.axis("flatten", endAxis, x.rank());
        if (s > e) {
            throw new IllegalArgumentException("flatten: start axis " + startAxis + " comes after end axis " + endAxis
                    + " for shape " + Shape.format(x.shape()));
        }
        long[] in = x.shape();
        long[] out = new long[in.length - (e - s)];
        System.arraycopy(in, 0, out, 0, s);
        out[s] = Shape.numel(Arrays.copyOfRange(in, s, e + 1));
        System.arraycopy(in, e + 1, out, s + 1, in.length - e - 1);
        return reshape(x, out);
    }

    // ---- slicing, joining, splitting --------------------------------------------------------------

    /** {@code x[start:end]} along {@code axis} (step 1). */
    public static Tensor slice(Tensor x, int axis, long start, long end) {
        return slice(x, axis, start, end, 1);
    }

    /**
     * {@code x[start:end:step]} along {@code axis}, a view. Negative {@code start}/{@code end} count from the
     * end as in Python; {@code end} may equal the size. Unlike Python, out-of-range bounds are errors, not
     * clamped. Backward: the gradient placed back at the sliced positions, zero elsewhere.
     */
    public static Tensor slice(Tensor x, int axis, long start, long end, long step) {
        int a = Shape.axis("slice", axis, x.rank());
        long size = x.shape()[a];
        long s = bound("start", start, a, size);
        long e = bound("end", end, a, size);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        if (e < s) {
            throw new IllegalArgumentException("slice: end " + end + " comes before start " + start + " for axis "
                    + a + " of size " + size);
        }
        long[] inShape = x.shape();
        Node.Backward backward = g -> new Tensor[] {unslice(g, inShape, a, s, e, step)};
        if (e == s) { // ND4J's interval cannot express an empty range
            long[] empty = inShape.clone();
            empty[a] = 0;
            return Graph.record("slice", Nd4j.create(x.value().dataType(), empty), backward, x);
        }
        INDArray out = x.value().get(along(x.rank(), a, NDArrayIndex.interval(s, step, e)));
        return Graph.recordView("slice", out, backward, x);
    }

    private static long bound(String which, long v, int axis, long size) {
        long b = v < 0 ? v + size : v;
        if (b < 0 || b > size) {
            throw new IllegalArgumentException("slice: " + which + " " + v + " is out of range for axis " + axis
                    + " of size " + size);
        }
        return b;
    }

    /** The adjoint of slice: {@code g} placed at positions start:end:step of a zero tensor of {@code shape}. */
    private static Tensor unslice(Tensor g, long[] shape, int axis, long start, long end, long step) {
        INDArray out = Nd4j.zeros(g.value().dataType(), shape);
        if (end > start) {
            out.get(along(shape.length, axis, NDArrayIndex.interval(start, step, end))).assign(g.value());
        }
        return Graph.record("unslice", out, gg -> new Tensor[] {slice(gg, axis, start, end, step)}, g);
    }

    /** Indices selecting everything except {@code at} along {@code axis}. */
    private static INDArrayIndex[] along(int rank, int axis, INDArrayIndex at) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            idx[i] = i == axis ? at : NDArrayIndex.all();
        }
        return idx;
    }

    /** Joins tensors of equal shape outside {@code axis} along it. */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = tensors.get(0);
        int a = Shape.axis("concat", axis, first.rank());
        long[] shape = first.shape();
        long[] offsets = new long[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            sameDType("concat", first, t);
            long[] ts = t.shape().clone(); // ND4J hands out its own shape array: never write to it
            ts[a] = shape[a];
            if (!Arrays.equals(ts, shape)) {
                throw new IllegalArgumentException("concat: shapes " + Shape.format(first.shape()) + " and "
                        + Shape.format(t.shape()) + " differ outside axis " + a);
            }
            offsets[i + 1] = offsets[i] + t.shape()[a];
        }
        long[] outShape = shape.clone();
        outShape[a] = offsets[tensors.size()];
        INDArray out = Nd4j.createUninitialized(first.value().dataType(), outShape);
        for (int i = 0; i < tensors.size(); i++) {
            if (offsets[i + 1] == offsets[i]) {
                continue;
            }
            out.get(along(outShape.length, a, NDArrayIndex.interval(offsets[i], offsets[i + 1])))
                    .assign(tensors.get(i).value());
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Graph.record("concat", out, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                grads[i] = inputs[i].requiresGrad() ? slice(g, a, offsets[i], offsets[i + 1]) : null;
            }
            return grads;
        }, inputs);
    }

    /** Joins tensors of equal shape outside {@code axis} along it. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return concat(Arrays.asList(tensors), axis);
    }

    /** Joins tensors of one shape along a new axis {@code axis} of the result. */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        long[] shape = tensors.get(0).shape();
        int a = Shape.axis("stack", axis, shape.length + 1);
        List<Tensor> expanded = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shape.format(shape) + " and "
                        + Shape.format(t.shape()) + " differ");
            }
            expanded.add(unsqueeze(t, a));
        }
        return concat(expanded, a);
    }

    /** Joins tensors of one shape along a new axis {@code axis} of the result. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return stack(Arrays.asList(tensors), axis);
    }

    /** Cuts {@code x} along {@code axis} into consecutive pieces of the given sizes (views). */
    public static List<Tensor> split(Tensor x, long[] sizes, int axis) {
        int a = Shape.axis("split", axis, x.rank());
        long total = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: negative size in " + Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != x.shape()[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + total
                    + ", not to the size " + x.shape()[a] + " of axis " + a);
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        long offset = 0;
        for (long s : sizes) {
            pieces.add(slice(x, a, offset, offset + s));
            offset += s;
        }
        return pieces;
    }

    /**
     * Cuts {@code x} along {@code axis} into {@code n} pieces of ⌈size/n⌉ (the last may be smaller, and
     * fewer than {@code n} come out when the size runs out first), as PyTorch's {@code chunk}.
     */
    public static List<Tensor> chunk(Tensor x, int n, int axis) {
        if (n <= 0) {
            throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + n);
        }
        int a = Shape.axis("chunk", axis, x.rank());
        long size = x.shape()[a];
        long piece = Math.max(1, (size + n - 1) / n);
        int count = (int) Math.max(1, (size + piece - 1) / piece);
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = Math.min(piece, size - i * piece);
        }
        return split(x, sizes, a);
    }

    // ---- padding, flipping, repeating ---------------------------------------------------------------

    /**
     * Pads with a constant, in the order of PyTorch's {@code F.pad}: {@code (left, right)} of the last axis
     * first, then {@code (top, bottom)} of the one before, and so on. Negative amounts crop. Backward: the
     * gradient padded by the negated amounts (so padding and cropping swap), filled with zero.
     */
    public static Tensor pad(Tensor x, long[] padding, double value) {
        if (padding.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " has odd length "
                    + padding.length);
        }
        int rank = x.rank();
        if (padding.length / 2 > rank) {
            throw new IllegalArgumentException("pad: " + padding.length / 2 + " pairs of padding for a tensor of rank "
                    + rank + " " + Shape.format(x.shape()));
        }
        long[] in = x.shape();
        long[] outShape = in.clone();
        INDArrayIndex[] src = new INDArrayIndex[rank];
        INDArrayIndex[] dst = new INDArrayIndex[rank];
        boolean any = false;
        boolean copies = true;
        for (int a = 0; a < rank; a++) {
            int pair = rank - 1 - a;
            long lo = 2 * pair < padding.length ? padding[2 * pair] : 0;
            long hi = 2 * pair < padding.length ? padding[2 * pair + 1] : 0;
            any |= lo != 0 || hi != 0;
            outShape[a] = in[a] + lo + hi;
            if (outShape[a] < 0) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " crops axis " + a
                        + " of " + Shape.format(in) + " below size 0");
            }
            long srcStart = Math.max(0, -lo);
            long srcEnd = Math.max(srcStart, in[a] - Math.max(0, -hi));
            long dstStart = Math.max(0, lo);
            copies &= srcEnd > srcStart;
            src[a] = NDArrayIndex.interval(srcStart, srcEnd);
            dst[a] = NDArrayIndex.interval(dstStart, dstStart + srcEnd - srcStart);
        }
        if (!any) {
            return x;
        }
        INDArray out = Nd4j.valueArrayOf(outShape, value, x.value().dataType());
        if (copies) {
            out.get(dst).assign(x.value().get(src));
        }
        long[] negated = new long[padding.length];
        for (int i = 0; i < padding.length; i++) {
            negated[i] = -padding[i];
        }
        return Graph.record("pad", out, g -> new Tensor[] {pad(g, negated, 0)}, x);
    }

    /** Reverses the order of elements along each of {@code axes}. Backward: the same flip. */
    public static Tensor flip(Tensor x, int... axes) {
        if (axes.length == 0) {
            throw new IllegalArgumentException("flip: no axes given for shape " + Shape.format(x.shape()));
        }
        int[] ax = Shape.axes("flip", axes, x.rank());
        INDArray out = Arena.allocate(x.value().dataType(), x.shape());
        if (AxisLoops.applies(x.value())) {
            AxisLoops.flip(x.value(), ax[0], out);
            for (int i = 1; i < ax.length; i++) { // one axis at a time, each pass into a fresh buffer
                INDArray next = Arena.allocate(out.dataType(), out.shape());
                AxisLoops.flip(out, ax[i], next);
                Arena.release(out);
                out = next;
            }
        } else {
            Nd4j.exec(new Reverse(x.value(), out, ax));
        }
        return Graph.record("flip", out, g -> new Tensor[] {flip(g, ax)}, x);
    }

    /**
     * Tiles {@code x} as PyTorch's {@code Tensor.repeat}: {@code repeats} has at least one entry per axis; extra
     * leading entries add new leading axes. Built from expand and reshape, so its backward sums the copies.
     */
    public static Tensor repeat(Tensor x, long... repeats) {
        if (repeats.length < x.rank()) {
            throw new IllegalArgumentException("repeat: " + repeats.length + " repeats given for a tensor of rank "
                    + x.rank() + " " + Shape.format(x.shape()) + " (need at least " + x.rank() + ")");
        }
        int n = repeats.length;
        long[] padded = new long[n];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape(), 0, padded, n - x.rank(), x.rank());
        long[] interleaved = new long[2 * n];
        long[] expanded = new long[2 * n];
        long[] result = new long[n];
        for (int i = 0; i < n; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("repeat: negative repeat count in " + Arrays.toString(repeats));
            }
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = padded[i];
            result[i] = repeats[i] * padded[i];
        }
        // (1, s0, 1, s1, …) → (r0, s0, r1, s1, …) → (r0·s0, r1·s1, …)
        return reshape(expand(reshape(x, interleaved), expanded), result);
    }

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
    }

    /** Records an output that may or may not share the input's memory (reshape copies a non-contiguous input). */
    static Tensor recordMaybeView(String op, INDArray out, Node.Backward backward, Tensor x) {
        if (out.data().underlyingDataBuffer() == x.value().data().underlyingDataBuffer()) {
            return Graph.recordView(op, out, backward, x);
        }
        return Graph.record(op, out, backward, x);
    }
}
