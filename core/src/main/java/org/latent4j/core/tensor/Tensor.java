package org.latent4j.core.tensor;

import org.latent4j.core.autograd.Autograd;
import org.latent4j.core.autograd.GraphMode;
import org.latent4j.core.autograd.Node;
import org.latent4j.core.ops.Activations;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.ops.Softmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An n-dimensional array that can take part in reverse-mode differentiation. Its value is an ND4J
 * {@link INDArray} (float32 by default, float64 for gradient checks). A tensor made by an op remembers the
 * {@link Node} that made it; a leaf (made by the user, such as a parameter) can ask for a gradient, which
 * {@link #backward()} accumulates into {@link #grad()}.
 *
 * <p>The fluent methods here are shorthands for the op families in {@code org.latent4j.core.ops}.
 */
public final class Tensor {
    private final INDArray value;
    private final Node gradFn;
    private boolean requiresGrad;
    private Tensor grad;
    /** Whether {@link #grad}'s memory was allocated by {@link #accumulateGrad}, so {@link #clearGrad} may reuse it. */
    private boolean gradOwned;

    private Tensor(INDArray value, Node gradFn, boolean requiresGrad) {
        this.value = value;
        this.gradFn = gradFn;
        this.requiresGrad = requiresGrad;
    }

    // ---- creation -------------------------------------------------------------------------------

    /** Wraps an array without copying it; the caller keeps ownership of its memory. */
    public static Tensor wrap(INDArray value) {
        if (value == null) {
            throw new IllegalArgumentException("Tensor.wrap: value is null");
        }
        return new Tensor(value, null, false);
    }

    /** Used by {@link org.latent4j.core.autograd.Graph}: an op's output linked to the node that made it. */
    public static Tensor fromNode(INDArray value, Node node) {
        return new Tensor(value, node, true);
    }

    /** A float32 tensor holding a copy of {@code data} in row-major order. */
    public static Tensor of(float[] data, long... shape) {
        checkLength(data.length, shape);
        return wrap(Nd4j.create(data, shape, 'c'));
    }

    /** A float64 tensor holding a copy of {@code data} in row-major order. */
    public static Tensor of(double[] data, long... shape) {
        checkLength(data.length, shape);
        return wrap(Nd4j.create(data, shape, 'c'));
    }

    /** An int64 tensor (indices, class labels, token ids). */
    public static Tensor ofLongs(long[] data, long... shape) {
        checkLength(data.length, shape);
        // Created in its final shape (not a reshaped view), so that an Arena can free it.
        return wrap(Nd4j.create(Nd4j.createBuffer(data), shape, Nd4j.getStrides(shape, 'c'), 0, 'c',
                org.nd4j.linalg.api.buffer.DataType.LONG));
    }

    private static void checkLength(int length, long[] shape) {
        Shape.requireValid(shape);
        if (Shape.numel(shape) != length) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape "
                    + Shape.format(shape) + " (" + Shape.numel(shape) + " elements)");
        }
    }

    public static Tensor scalar(double v) {
        return wrap(Nd4j.scalar(org.nd4j.linalg.api.buffer.DataType.FLOAT, v));
    }

    public static Tensor scalar(DType dtype, double v) {
        return wrap(Nd4j.scalar(dtype.nd4j(), v));
    }

    public static Tensor zeros(long... shape) {
        return zeros(DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, long... shape) {
        return full(dtype, 0, shape);
    }

    public static Tensor ones(long... shape) {
        return ones(DType.FLOAT32, shape);
    }

    public static Tensor ones(DType dtype, long... shape) {
        return full(dtype, 1, shape);
    }

    /**
     * A tensor of {@code shape} filled with {@code v}, over a pooled buffer when an arena is open. Small float
     * tensors are filled by a Java loop: ND4J's fill costs microseconds of dispatch, which every backward's
     * seed gradient would pay.
     */
    public static Tensor full(DType dtype, double v, long... shape) {
        Shape.requireValid(shape);
        INDArray a = Arena.allocate(dtype.nd4j(), shape);
        long n = a.length();
        if (n == 0) {
            return wrap(Arena.track(a));
        }
        if (n <= SMALL_FILL && dtype == DType.FLOAT32) {
            java.nio.FloatBuffer b = a.data().asNioFloat();
            for (int i = 0; i < n; i++) {
                b.put(i, (float) v);
            }
        } else if (n <= SMALL_FILL && dtype == DType.FLOAT64) {
            java.nio.DoubleBuffer b = a.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                b.put(i, v);
            }
        } else {
            a.assign(v);
        }
        return wrap(Arena.track(a));
    }

    /** Up to this many elements, {@link #full} fills with a Java loop instead of an ND4J op. */
    private static final int SMALL_FILL = 1 << 14;

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.dtype(), t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.dtype(), t.shape());
    }

    // ---- properties -----------------------------------------------------------------------------

    /** The ND4J array behind this tensor (shared, not copied). */
    public INDArray value() {
        if (value.wasClosed()) {
            throw new IllegalStateException("this tensor's memory was freed when the Arena it was made in closed; "
                    + "keep it with arena.keep(tensor) or copy what you need before the scope ends");
        }
        return value;
    }

    /** The value without the closed check, for bookkeeping that must not fail. */
    INDArray valueUnchecked() {
        return value;
    }

    /** A copy of the shape: ND4J hands out its internal array, and writing to that corrupts the tensor. */
    public long[] shape() {
        return value.shape().clone();
    }

    public long size(int axis) {
        return value.size(Shape.axis("size", axis, rank()));
    }

    public int rank() {
        return value.rank();
    }

    public long numel() {
        return value.length();
    }

    public DType dtype() {
        return DType.of(value.dataType());
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing a gradient (parameters, inputs of a gradient check); returns this. */
    public Tensor requireGrad() {
        if (gradFn != null) {
            throw new IllegalStateException("requireGrad: only leaf tensors can be marked; this one was made by '"
                    + gradFn.op() + "'");
        }
        if (!dtype().isFloatingPoint()) {
            throw new IllegalStateException("requireGrad: a " + dtype() + " tensor cannot have a gradient");
        }
        requiresGrad = true;
        return this;
    }

    /**
     * Marks a leaf as needing no gradient (a frozen parameter) and drops any gradient it has: backward no longer
     * reaches it and optimizers leave it as it is. {@link #requireGrad()} undoes it. Returns this.
     */
    public Tensor disableGrad() {
        if (gradFn != null) {
            throw new IllegalStateException("disableGrad: only leaf tensors can be marked; this one was made by '"
                    + gradFn.op() + "'");
        }
        requiresGrad = false;
        grad = null;
        return this;
    }

    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient, or null before the first backward (or after {@link #clearGrad()}). */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        if (grad != null && !java.util.Arrays.equals(grad.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.format(grad.shape())
                    + " differs from tensor shape " + Shape.format(shape()));
        }
        this.grad = grad;
        gradOwned = false;
    }

    /**
     * Adds {@code g} into this leaf's gradient, as {@link #backward()} does: the first contribution is copied
     * into memory this tensor owns (it outlives any open {@link Arena}), later ones are added in place.
     */
    public void accumulateGrad(Tensor g) {
        if (!java.util.Arrays.equals(g.value().shape(), value.shape()) || g.dtype() != dtype()) {
            throw new IllegalArgumentException("accumulateGrad: gradient " + Shape.format(g.shape()) + " " + g.dtype()
                    + " does not match tensor " + Shape.format(shape()) + " " + dtype());
        }
        if (grad == null) {
            // From this thread's pool when clearGrad handed a buffer of this size back: no fresh memory per step.
            Tensor fresh = wrap(Arena.outside(() -> Arena.allocate(value.dataType(), shape())));
            Elementwise.copyInPlace(fresh, g);
            grad = fresh;
            gradOwned = true;
        } else {
            Elementwise.addInPlace(grad, g);
        }
    }

    /**
     * Frees and forgets the gradient. Memory that {@link #backward()} allocated for it goes back to this
     * thread's buffer pool for the next backward; a reference to the old gradient kept elsewhere then fails
     * loudly when used, as a tensor of a closed {@link Arena} does.
     */
    public void clearGrad() {
        if (gradOwned && BufferPool.enabled() && !grad.valueUnchecked().wasClosed()) {
            BufferPool.get().give(grad.valueUnchecked());
        }
        grad = null;
        gradOwned = false;
    }

    // ---- autograd ---------------------------------------------------------------------------------

    /** Backpropagates from this scalar, accumulating into the gradients of leaves; frees the graph. */
    public void backward() {
        Autograd.backward(this, null, GraphMode.DISCARD);
    }

    /** Backpropagates {@code seed} (same shape as this tensor) from this tensor. */
    public void backward(Tensor seed) {
        Autograd.backward(this, seed, GraphMode.DISCARD);
    }

    /** Backpropagates from this scalar with the given graph mode. */
    public void backward(GraphMode mode) {
        Autograd.backward(this, null, mode);
    }

    /** The same value, cut from the graph: no gradient flows through the result. Shares memory. */
    public Tensor detach() {
        return new Tensor(value(), null, false);
    }

    // ---- data out ----------------------------------------------------------------------------------

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shape.format(shape()) + " has "
                    + numel() + " elements, not 1");
        }
        return value().getDouble(0);
    }

    /** A row-major copy of the values. */
    public float[] toFloatArray() {
        return value().dup('c').data().asFloat();
    }

    /** A row-major copy of the values. */
    public double[] toDoubleArray() {
        return value().dup('c').data().asDouble();
    }

    /** A row-major copy of the values as longs (indices, labels). */
    public long[] toLongArray() {
        return value().dup('c').data().asLong();
    }

    /** A copy converted to {@code dtype}, outside the graph. */
    public Tensor to(DType dtype) {
        return wrap(Arena.track(value().castTo(dtype.nd4j()).dup('c')));
    }

    /** Frees this tensor's memory now. Using it afterwards raises an exception. */
    public void close() {
        if (!value.wasClosed() && value.closeable()) {
            value.close();
        }
    }

    @Override
    public String toString() {
        String body = value.wasClosed() ? "<freed>" : value.toString();
        return "Tensor" + Shape.format(shape()) + " " + dtype()
                + (gradFn != null ? " grad_fn=" + gradFn.op() : requiresGrad ? " requires_grad" : "")
                + "\n" + body;
    }

    // ---- fluent shorthands for the op families --------------------------------------------------------

    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    public Tensor add(double c) {
        return Elementwise.add(this, c);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    public Tensor sub(double c) {
        return Elementwise.add(this, -c);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    public Tensor mul(double c) {
        return Elementwise.mul(this, c);
    }

    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    public Tensor div(double c) {
        return Elementwise.mul(this, 1.0 / c);
    }

    public Tensor neg() {
        return Elementwise.neg(this);
    }

    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Tensor reshape(long... shape) {
        return Shapes.reshape(this, shape);
    }

    public Tensor expand(long... shape) {
        return Shapes.expand(this, shape);
    }

    public Tensor pow(double exponent) {
        return Elementwise.pow(this, exponent);
    }

    public Tensor square() {
        return Elementwise.square(this);
    }

    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    public Tensor exp() {
        return Elementwise.exp(this);
    }

    public Tensor log() {
        return Elementwise.log(this);
    }

    public Tensor abs() {
        return Elementwise.abs(this);
    }

    public Tensor relu() {
        return Activations.relu(this);
    }

    public Tensor tanh() {
        return Activations.tanh(this);
    }

    public Tensor sigmoid() {
        return Activations.sigmoid(this);
    }

    public Tensor softmax(int axis) {
        return Softmax.softmax(this, axis);
    }

    public Tensor logSoftmax(int axis) {
        return Softmax.logSoftmax(this, axis);
    }

    public Tensor transpose(int axis0, int axis1) {
        return Shapes.transpose(this, axis0, axis1);
    }

    public Tensor permute(int... perm) {
        return Shapes.permute(this, perm);
    }

    public Tensor unsqueeze(int axis) {
        return Shapes.unsqueeze(this, axis);
    }

    public Tensor squeeze(int axis) {
        return Shapes.squeeze(this, axis);
    }

    /** Sum over {@code axes}, dropping them. */
    public Tensor sum(int... axes) {
        return Reductions.sum(this, axes, false);
    }

    /** Mean over {@code axes}, dropping them. */
    public Tensor mean(int... axes) {
        return Reductions.mean(this, axes, false);
    }

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /** Mean of all elements, a scalar. */
    public Tensor mean() {
        return Reductions.mean(this);
    }
}
