package org.latent4j.core.ops;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.latent4j.core.tensor.Arena;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Reciprocal;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.same.Square;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Elementwise arithmetic with NumPy broadcasting. Each backward sums the incoming gradient back to its
 * input's shape ({@link Shapes#sumTo}), so a bias added to every row gets the sum over rows.
 *
 * <p>Forward passes run ND4J's legacy transform ops into a preallocated output (no custom-op dispatch);
 * backward rules are written with these same ops, so they can be differentiated again.
 */
public final class Elementwise {
    private Elementwise() {
    }

    // ---- binary, broadcasting -----------------------------------------------------------------------

    /** a + b. */
    public static Tensor add(Tensor a, Tensor b) {
        INDArray out = binary("add", HostLoops.Binary.ADD, a, b);
        return Graph.record("add", out, g -> new Tensor[] {
            Shapes.sumTo(g, a.shape()),
            Shapes.sumTo(g, b.shape())
        }, a, b);
    }

    /** a − b. */
    public static Tensor sub(Tensor a, Tensor b) {
        INDArray out = binary("sub", HostLoops.Binary.SUB, a, b);
        return Graph.record("sub", out, g -> new Tensor[] {
            Shapes.sumTo(g, a.shape()),
            Shapes.sumTo(neg(g), b.shape())
        }, a, b);
    }

    /** a · b. */
    public static Tensor mul(Tensor a, Tensor b) {
        INDArray out = binary("mul", HostLoops.Binary.MUL, a, b);
        return Graph.record("mul", out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(mul(g, b), a.shape()) : null,
            b.requiresGrad() ? Shapes.sumTo(mul(g, a), b.shape()) : null
        }, a, b);
    }

    /** a / b. */
    public static Tensor div(Tensor a, Tensor b) {
        INDArray out = binary("div", HostLoops.Binary.DIV, a, b);
        return Graph.record("div", out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(div(g, b), a.shape()) : null,
            // d(a/b)/db = −a/b²
            b.requiresGrad() ? Shapes.sumTo(neg(div(mul(g, a), mul(b, b))), b.shape()) : null
        }, a, b);
    }

    /** Small float32 tensors (broadcasting or not) run a Java loop; anything else ND4J's pairwise op. */
    private static INDArray binary(String op, HostLoops.Binary kind, Tensor a, Tensor b) {
        INDArray av = a.value();
        INDArray bv = b.value();
        if (a.dtype() == b.dtype() && HostLoops.applies(av, bv)) {
            long[] shape = Arrays.equals(av.shape(), bv.shape()) ? av.shape()
                    : Shape.broadcast(op, av.shape(), bv.shape());
            if (HostLoops.fits(shape)) {
                INDArray out = Arena.allocate(av.dataType(), shape);
                HostLoops.binary(kind, av, bv, out);
                return out;
            }
        }
        DynamicCustomOp kernel = switch (kind) {
            case ADD -> new AddOp();
            case SUB -> new SubOp();
            case MUL -> new MulOp();
            case DIV -> new DivOp();
        };
        return binary(op, kernel, a, b);
    }

    static INDArray binary(String op, DynamicCustomOp kernel, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype()
                    + "); convert one with .to(dtype)");
        }
        Shape.broadcast(op, a.shape(), b.shape());
        return binaryRaw(kernel, a.value(), b.value());
    }

    /** A broadcasting pairwise kernel on raw arrays of one dtype whose shapes are known to broadcast. */
    static INDArray binaryRaw(DynamicCustomOp kernel, INDArray a, INDArray b) {
        INDArray out = Arena.allocate(a.dataType(), Shape.broadcast("binary", a.shape(), b.shape()));
        kernel.addInputArgument(a, b);
        kernel.addOutputArgument(out);
        Nd4j.exec(kernel);
        return out;
    }

    // ---- in place, outside autograd ------------------------------------------------------------------

    /**
     * target += value for tensors of one shape and dtype, recording nothing: how leaf gradients accumulate.
     * The caller must own {@code target}'s memory (no other live tensor may share it).
     */
    public static void addInPlace(Tensor target, Tensor value) {
        INDArray t = sameLayout("addInPlace", target, value);
        INDArray v = value.value();
        if (HostLoops.applies(t, v)) {
            HostLoops.addInPlace(t, v);
        } else {
            t.addi(v);
        }
    }

    /** target ← value for tensors of one shape and dtype, recording nothing (the first gradient of a leaf). */
    public static void copyInPlace(Tensor target, Tensor value) {
        INDArray t = sameLayout("copyInPlace", target, value);
        INDArray v = value.value();
        if (HostLoops.applies(t, v)) {
            t.data().asNioFloat().put(0, v.data().asNioFloat(), 0, (int) v.length());
        } else {
            t.assign(v);
        }
    }

    private static INDArray sameLayout(String op, Tensor target, Tensor value) {
        if (target.dtype() != value.dtype() || !Arrays.equals(target.value().shape(), value.value().shape())) {
            throw new IllegalArgumentException(op + ": target " + Shape.format(target.shape()) + " " + target.dtype()
                    + " and value " + Shape.format(value.shape()) + " " + value.dtype() + " differ");
        }
        return target.value();
    }

    // ---- with a constant ------------------------------------------------------------------------------

    /** a + c. */
    public static Tensor add(Tensor a, double c) {
        INDArray out = Arena.allocate(a.value().dataType(), a.shape());
        if (HostLoops.applies(a.value())) {
            HostLoops.affine(a.value(), 1f, (float) c, out);
        } else {
            Nd4j.exec(new ScalarAdd(a.value(), null, out, c));
        }
        return Graph.record("add_scalar", out, g -> new Tensor[] {g}, a);
    }

    /** a · c. */
    public static Tensor mul(Tensor a, double c) {
        INDArray out = Arena.allocate(a.value().dataType(), a.shape());
        if (HostLoops.applies(a.value())) {
            HostLoops.affine(a.value(), (float) c, 0f, out);
        } else {
            Nd4j.exec(new ScalarMultiplication(a.value(), null, out, c));
        }
        return Graph.record("mul_scalar", out, g -> new Tensor[] {mul(g, c)}, a);
    }

    /** −a. */
    public static Tensor neg(Tensor a) {
        INDArray out = Arena.allocate(a.value().dataType(), a.shape());
        if (HostLoops.applies(a.value())) {
            HostLoops.unary(HostLoops.Unary.NEG, a.value(), out);
        } else {
            Nd4j.exec(new ScalarMultiplication(a.value(), null, out, -1.0));
        }
        return Graph.record("neg", out, g -> new Tensor[] {neg(g)}, a);
    }

    // ---- unary ----------------------------------------------------------------------------------------

    /** eˣ. */
    public static Tensor exp(Tensor x) {
        INDArray out = unary("exp", HostLoops.Unary.EXP, x);
        return recordWithOutput("exp", out, (g, y) -> mul(g, y), x);
    }

    /** Natural logarithm. */
    public static Tensor log(Tensor x) {
        INDArray out = like("log", x);
        Nd4j.exec(new Log(x.value(), out));
        return Graph.record("log", out, g -> new Tensor[] {div(g, x)}, x);
    }

    /** √x. */
    public static Tensor sqrt(Tensor x) {
        INDArray out = unary("sqrt", HostLoops.Unary.SQRT, x);
        // d√x/dx = 1 / (2√x)
        return recordWithOutput("sqrt", out, (g, y) -> div(mul(g, 0.5), y), x);
    }

    /** 1/√x. */
    public static Tensor rsqrt(Tensor x) {
        INDArray out = unary("rsqrt", HostLoops.Unary.RSQRT, x);
        // d(x^−½)/dx = −½ x^−3/2 = −½ y / x
        return recordWithOutput("rsqrt", out, (g, y) -> div(mul(mul(g, y), -0.5), x), x);
    }

    /** |x|; the gradient at 0 is 0, as in PyTorch. */
    public static Tensor abs(Tensor x) {
        INDArray out = unary("abs", HostLoops.Unary.ABS, x);
        return Graph.record("abs", out, g -> new Tensor[] {mul(g, sign(x))}, x);
    }

    /** x². */
    public static Tensor square(Tensor x) {
        INDArray out = unary("square", HostLoops.Unary.SQUARE, x);
        return Graph.record("square", out, g -> new Tensor[] {mul(g, mul(x, 2.0))}, x);
    }

    /** 1/x. */
    public static Tensor reciprocal(Tensor x) {
        INDArray out = unary("reciprocal", HostLoops.Unary.RECIPROCAL, x);
        // d(1/x)/dx = −1/x² = −y²
        return recordWithOutput("reciprocal", out, (g, y) -> neg(mul(g, square(y))), x);
    }

    /** xᶜ for a constant exponent; the gradient c·xᶜ⁻¹ is 0 for c = 0 (as in PyTorch). */
    public static Tensor pow(Tensor x, double c) {
        INDArray out = like("pow", x);
        Nd4j.exec(new Pow(x.value(), out, c));
        return Graph.record("pow_scalar", out, g -> new Tensor[] {
            c == 0 ? mul(g, 0.0) : mul(g, mul(pow(x, c - 1), c))
        }, x);
    }

    /**
     * aᵇ elementwise with broadcasting. d/da = b·aᵇ⁻¹, d/db = aᵇ·ln a (taken as 0 where a = 0 and b ≥ 0,
     * as in PyTorch, so 0⁰ and 0² do not produce NaN gradients).
     */
    public static Tensor pow(Tensor a, Tensor b) {
        requireFloat("pow", a);
        INDArray out = binary("pow", new org.nd4j.linalg.api.ops.impl.transforms.custom.Pow(), a, b);
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("pow", out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(mul(g, mul(b, pow(a, add(b, -1.0)))), a.shape()) : null,
            b.requiresGrad() ? Shapes.sumTo(mul(g, where(zeroBaseMask(a, b), zeroLike(a), mul(self[0], log(a)))),
                    b.shape()) : null
        }, a, b);
        return self[0];
    }

    private static Tensor zeroBaseMask(Tensor a, Tensor b) {
        DataType dt = a.value().dataType();
        return Graph.constant(binaryRaw(new MulOp(), a.value().eq(0.0).castTo(dt), b.value().gte(0.0).castTo(dt)));
    }

    /**
     * x limited to [min, max]; either bound may be infinite. The gradient passes where min ≤ x ≤ max
     * (bounds included, as in PyTorch) and is 0 outside.
     */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " must not exceed max " + max);
        }
        INDArray out = like("clamp", x);
        Nd4j.exec(new ScalarMax(x.value(), null, out, min));
        Nd4j.exec(new ScalarMin(out, null, out, max));
        return Graph.record("clamp", out, g -> {
            INDArray inside = x.value().gte(min).castTo(x.value().dataType());
            inside.muli(x.value().lte(max).castTo(x.value().dataType()));
            return new Tensor[] {mul(g, Graph.constant(inside))};
        }, x);
    }

    // ---- selection ------------------------------------------------------------------------------------

    /**
     * Picks {@code a} where {@code cond} is true (or non-zero) and {@code b} elsewhere; all three broadcast
     * together. Each branch gets the gradient only where it was picked.
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("where: dtypes differ (" + a.dtype() + " and " + b.dtype()
                    + "); convert one with .to(dtype)");
        }
        long[] shape = Shape.broadcast("where", cond.shape(), Shape.broadcast("where", a.shape(), b.shape()));
        INDArray c = broadcastTo(asBool(cond), shape);
        INDArray out = select(c, a.value(), b.value(), shape);
        Tensor mask = c == cond.value() ? cond : Graph.constant(c);
        return Graph.record("where", out, g -> new Tensor[] {
            null,
            a.requiresGrad() ? Shapes.sumTo(where(mask, g, zeroLike(g)), a.shape()) : null,
            b.requiresGrad() ? Shapes.sumTo(where(mask, zeroLike(g), g), b.shape()) : null
        }, cond, a, b);
    }

    /** {@code x} with {@code value} written where {@code mask} (broadcast to x's shape) is true or non-zero. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        long[] shape = Shape.broadcast("maskedFill", mask.shape(), x.shape());
        if (!Arrays.equals(shape, x.shape())) {
            throw new IllegalArgumentException("maskedFill: mask " + Shape.format(mask.shape())
                    + " does not broadcast to the input's shape " + Shape.format(x.shape()));
        }
        return where(mask, Graph.constant(Nd4j.scalar(x.value().dataType(), value)), x);
    }

    /** The elementwise larger of a and b (broadcasting); on ties each gets half the gradient, as in PyTorch. */
    public static Tensor maximum(Tensor a, Tensor b) {
        return extremum("maximum", a, b, 1);
    }

    /** The elementwise smaller of a and b (broadcasting); on ties each gets half the gradient, as in PyTorch. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return extremum("minimum", a, b, -1);
    }

    private static Tensor extremum(String op, Tensor a, Tensor b, int direction) {
        INDArray diff = binary(op, new SubOp(), a, b);
        // share of a: 1 where a wins, ½ on ties, 0 where b wins: (1 ± sign(a − b)) / 2
        Nd4j.exec(new Sign(diff, diff));
        INDArray shareA = diff.muli(0.5 * direction).addi(0.5);
        Tensor wa = Graph.constant(shareA);
        INDArray aWins = shareA.gte(0.5);
        INDArray out = select(aWins, a.value(), b.value(), shareA.shape());
        aWins.close();
        return Graph.record(op, out, g -> new Tensor[] {
            a.requiresGrad() ? Shapes.sumTo(mul(g, wa), a.shape()) : null,
            b.requiresGrad() ? Shapes.sumTo(sub(g, mul(g, wa)), b.shape()) : null
        }, a, b);
    }

    // ---- helpers shared with the other op families -----------------------------------------------------

    /** A fresh, uninitialized array shaped like {@code x}, after checking that x is floating point. */
    static INDArray like(String op, Tensor x) {
        requireFloat(op, x);
        return Arena.allocate(x.value().dataType(), x.shape());
    }

    /**
     * {@code f(x)} into a fresh array: a Java loop for a small float32 tensor, a Java kernel for a large one where
     * ND4J was slow (exp, sigmoid, tanh, the step), ND4J's legacy transform op (no custom-op dispatch) otherwise.
     */
    static INDArray unary(String op, HostLoops.Unary kind, Tensor x) {
        INDArray in = x.value();
        INDArray out = like(op, x);
        if (HostLoops.applies(in)) {
            HostLoops.unary(kind, in, out);
            return out;
        }
        if (Kernels.hasPointwise(in, out)) { // the kinds ND4J's transform ops were slow at
            switch (kind) {
                case EXP -> Kernels.exp(in, out);
                case SIGMOID -> Kernels.sigmoid(in, out);
                case TANH -> Kernels.tanh(in, out);
                case STEP -> Kernels.leakyReluDerivative(in, 0, out); // ReLU's derivative: x > 0 ? 1 : 0
                default -> {
                    return nd4jUnary(kind, in, out);
                }
            }
            return out;
        }
        return nd4jUnary(kind, in, out);
    }

    private static INDArray nd4jUnary(HostLoops.Unary kind, INDArray in, INDArray out) {
        Nd4j.exec(switch (kind) {
            case NEG -> new ScalarMultiplication(in, null, out, -1.0);
            case ABS -> new Abs(in, out);
            case SQUARE -> new Square(in, out);
            case SQRT -> new Sqrt(in, out);
            case RSQRT -> new RSqrt(in, out);
            case RECIPROCAL -> new Reciprocal(in, out);
            case RELU -> new RectifiedLinear(in, out, 0.0);
            case STEP -> new Step(in, out, 0.0);
            case SIGN -> new Sign(in, out);
            case EXP -> new Exp(in, out);
            case TANH -> new Tanh(in, out);
            case SIGMOID -> new Sigmoid(in, out);
        });
        return out;
    }

    static void requireFloat(String op, Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + x.dtype() + " of shape "
                    + Shape.format(x.shape()));
        }
    }

    /**
     * Records an op whose backward is written in terms of its own output y (exp, sigmoid, tanh): the rule
     * receives (gradOutput, y) and returns the gradient of the single input.
     */
    static Tensor recordWithOutput(String op, INDArray out, BiFunction<Tensor, Tensor, Tensor> backward, Tensor x) {
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record(op, out, g -> new Tensor[] {backward.apply(g, self[0])}, x);
        return self[0];
    }

    /** sign(x) as a constant (no gradient flows through it). */
    static Tensor sign(Tensor x) {
        return Graph.constant(unary("sign", HostLoops.Unary.SIGN, x));
    }

    /** A scalar zero of x's dtype, broadcastable against anything. */
    static Tensor zeroLike(Tensor x) {
        return Graph.constant(Nd4j.scalar(x.value().dataType(), 0.0));
    }

    /** 1 − x. */
    static Tensor oneMinus(Tensor x) {
        return add(neg(x), 1.0);
    }

    /** c ? a : b into a fresh array of {@code shape}; c already has that shape, a and b broadcast to it. */
    private static INDArray select(INDArray c, INDArray a, INDArray b, long[] shape) {
        INDArray out = Arena.allocate(a.dataType(), shape);
        INDArray ea = broadcastTo(a, shape);
        INDArray eb = broadcastTo(b, shape);
        if (c.dataType() == DataType.BOOL && Kernels.isDense(c) && Kernels.hasPointwise(ea, eb, out)) {
            Kernels.select(c, ea, eb, out);
        } else {
            Nd4j.exec(new Select(new INDArray[] {c, ea, eb}, new INDArray[] {out}));
        }
        closeIfCopy(ea, a);
        closeIfCopy(eb, b);
        return out;
    }

    private static void closeIfCopy(INDArray copy, INDArray original) {
        if (copy != original) {
            Arena.release(copy);
        }
    }

    static INDArray asBool(Tensor cond) {
        if (cond.dtype() == DType.BOOL) {
            return cond.value();
        }
        return cond.value().neq(0.0);
    }

    /** {@code v} broadcast to {@code shape}: itself when the shape already matches, a fresh copy otherwise. */
    static INDArray broadcastTo(INDArray v, long[] shape) {
        if (Arrays.equals(v.shape(), shape)) {
            return v;
        }
        INDArray out = Arena.allocate(v.dataType(), shape.clone());
        broadcastInto(v, out);
        return out;
    }

    /**
     * Writes {@code v} broadcast (NumPy rules) to {@code out}'s shape into {@code out}, through ND4J's broadcastable
     * {@code assign} op: its {@code broadcast_to} op takes 60–120× longer (measured 2026-11-29 for a 4M-element
     * float32 output from five source shapes: 28–55 ms against 0.42–0.52 ms; sum's and mean's backward expand
     * their gradient this way).
     */
    static void broadcastInto(INDArray v, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("assign").addInputs(out, v).addOutputs(out).build());
    }
}
