package org.latent4j.core.ops;

import static org.latent4j.core.ops.Elementwise.add;
import static org.latent4j.core.ops.Elementwise.exp;
import static org.latent4j.core.ops.Elementwise.mul;
import static org.latent4j.core.ops.Elementwise.oneMinus;
import static org.latent4j.core.ops.Elementwise.square;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Cube;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pointwise nonlinearities, matching PyTorch's definitions. Forwards run ND4J legacy transforms into one
 * preallocated output; each backward is the closed-form derivative written with tensor ops, so it can be
 * differentiated again (gradient penalties need the second derivative of every activation).
 */
public final class Activations {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double TANH_K = Math.sqrt(2 / Math.PI);
    private static final double TANH_C = 0.044715;

    private Activations() {
    }

    /** max(x, 0); the gradient at 0 is 0. */
    public static Tensor relu(Tensor x) {
        INDArray out = Elementwise.unary("relu", HostLoops.Unary.RELU, x);
        return Graph.record("relu", out, g -> new Tensor[] {mul(g, positive(x))}, x);
    }

    /** x for x > 0, slope·x otherwise. */
    public static Tensor leakyRelu(Tensor x, double slope) {
        INDArray out = Elementwise.like("leakyRelu", x);
        boolean java = Kernels.hasPointwise(x.value(), out);
        if (java) {
            Kernels.leakyRelu(x.value(), slope, out);
        } else {
            Nd4j.exec(new LeakyReLU(x.value(), out, slope));
        }
        return Graph.record("leakyRelu", out, g -> {
            // 1 where x > 0, slope elsewhere
            if (java) {
                INDArray d = Arena.allocate(out.dataType(), out.shape());
                Kernels.leakyReluDerivative(x.value(), slope, d);
                return new Tensor[] {mul(g, Graph.constant(d))};
            }
            Tensor d = positive(x);
            d.value().muli(1 - slope).addi(slope);
            return new Tensor[] {mul(g, d)};
        }, x);
    }

    /** GELU with the exact normal CDF: x·Φ(x) = x·½(1 + erf(x/√2)) (PyTorch's approximate='none'). */
    public static Tensor gelu(Tensor x) {
        INDArray out = Elementwise.like("gelu", x);
        INDArray xv = x.value();
        Nd4j.exec(new ScalarMultiplication(xv, null, out, SQRT_HALF));
        Nd4j.exec(new Erf(out, out));
        out.addi(1.0).muli(0.5).muli(xv);
        return Graph.record("gelu", out, g -> {
            // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
            Tensor cdf = add(mul(erf(mul(x, SQRT_HALF)), 0.5), 0.5);
            Tensor pdf = mul(exp(mul(square(x), -0.5)), INV_SQRT_2PI);
            return new Tensor[] {mul(g, add(cdf, mul(x, pdf)))};
        }, x);
    }

    /** GELU's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's approximate='tanh'). */
    public static Tensor geluTanh(Tensor x) {
        INDArray out = Elementwise.like("geluTanh", x);
        INDArray xv = x.value();
        if (Kernels.hasGelu(xv, out)) {
            // one Java pass each way; a backward that records a graph takes the composed rule below
            Kernels.geluTanh(xv, out);
            return Graph.record("geluTanh", out, g -> {
                if (GradMode.isEnabled() || !Kernels.hasGelu(g.value())) {
                    return new Tensor[] {geluTanhGradient(x, g)};
                }
                INDArray dx = Arena.allocate(xv.dataType(), xv.shape());
                Kernels.geluTanhBackward(xv, g.value(), dx);
                return new Tensor[] {Graph.constant(dx)};
            }, x);
        }
        Nd4j.exec(new Cube(xv, out));
        out.muli(TANH_C).addi(xv).muli(TANH_K);
        Nd4j.exec(new Tanh(out, out));
        out.addi(1.0).muli(0.5).muli(xv);
        return Graph.record("geluTanh", out, g -> new Tensor[] {geluTanhGradient(x, g)}, x);
    }

    /** u = k(x + c x³), t = tanh u: d/dx geluTanh = ½(1 + t) + ½x(1 − t²)·k(1 + 3c x²), as Tensor ops. */
    private static Tensor geluTanhGradient(Tensor x, Tensor g) {
        Tensor x2 = square(x);
        Tensor t = tanh(mul(add(mul(mul(x2, x), TANH_C), x), TANH_K));
        Tensor du = mul(add(mul(x2, 3 * TANH_C), 1.0), TANH_K);
        Tensor d = add(mul(add(t, 1.0), 0.5), mul(mul(mul(x, oneMinus(square(t))), du), 0.5));
        return mul(g, d);
    }

    /** SiLU (swish): x·σ(x). */
    public static Tensor silu(Tensor x) {
        INDArray out = Elementwise.like("silu", x);
        Nd4j.exec(new Swish(x.value(), out));
        return Graph.record("silu", out, g -> {
            // d/dx x·σ(x) = σ(x)(1 + x(1 − σ(x)))
            Tensor s = sigmoid(x);
            return new Tensor[] {mul(g, mul(s, add(mul(x, oneMinus(s)), 1.0)))};
        }, x);
    }

    /** σ(x) = 1 / (1 + e⁻ˣ). */
    public static Tensor sigmoid(Tensor x) {
        INDArray out = Elementwise.unary("sigmoid", HostLoops.Unary.SIGMOID, x);
        return Elementwise.recordWithOutput("sigmoid", out, (g, y) -> mul(g, mul(y, oneMinus(y))), x);
    }

    /** tanh x. */
    public static Tensor tanh(Tensor x) {
        INDArray out = Elementwise.unary("tanh", HostLoops.Unary.TANH, x);
        return Elementwise.recordWithOutput("tanh", out, (g, y) -> mul(g, oneMinus(square(y))), x);
    }

    /**
     * ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^−|x|) so it never overflows. (ND4J's log1p is a plain
     * log(1 + y), so for x below about −37 the result, under 1e-16, rounds to 0; the gradient σ(x) stays exact.)
     */
    public static Tensor softplus(Tensor x) {
        Elementwise.requireFloat("softplus", x);
        INDArray out = softplusValue(x.value());
        return Graph.record("softplus", out, g -> new Tensor[] {mul(g, sigmoid(x))}, x);
    }

    /** softplus on a raw array into a fresh one (shared with the fused binary cross-entropy). */
    static INDArray softplusValue(INDArray x) {
        INDArray out = Arena.allocate(x.dataType(), x.shape());
        Nd4j.exec(new Abs(x, out));
        out.negi();
        Nd4j.exec(new Exp(out, out));
        Nd4j.exec(new Log1p(out, out));
        INDArray pos = Arena.allocate(x.dataType(), x.shape());
        Nd4j.exec(new RectifiedLinear(x, pos, 0.0));
        out.addi(pos);
        Arena.release(pos);
        return out;
    }

    /** ELU: x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, double alpha) {
        INDArray out = Elementwise.like("elu", x);
        INDArray xv = x.value();
        // α(e^min(x,0) − 1) + max(x, 0) covers both branches in two passes
        Nd4j.exec(new ScalarMin(xv, null, out, 0.0));
        Nd4j.exec(new Exp(out, out));
        out.subi(1.0).muli(alpha);
        INDArray pos = Arena.allocate(xv.dataType(), xv.shape());
        Nd4j.exec(new RectifiedLinear(xv, pos, 0.0));
        out.addi(pos);
        Arena.release(pos);
        // d/dx = 1 for x > 0, αeˣ = y + α otherwise
        return Elementwise.recordWithOutput("elu", out,
                (g, y) -> Elementwise.where(positive(x), g, mul(g, add(y, alpha))), x);
    }

    /** erf x, differentiable (d/dx = 2/√π e^(−x²)); used by the exact GELU's backward. */
    static Tensor erf(Tensor x) {
        INDArray out = Elementwise.like("erf", x);
        Nd4j.exec(new Erf(x.value(), out));
        return Graph.record("erf", out, g -> new Tensor[] {
            mul(g, mul(exp(Elementwise.neg(square(x))), TWO_OVER_SQRT_PI))
        }, x);
    }

    /** 1 where x > 0, else 0, as a constant of x's dtype. */
    private static Tensor positive(Tensor x) {
        return Graph.constant(Elementwise.unary("positive", HostLoops.Unary.STEP, x));
    }
}
