package org.latent4j.core.ops;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Down- and up-sampling of (N, C, H, W) images. Max and average pooling run ND4J's {@code maxpool2d} /
 * {@code avgpool2d} and their {@code *_bp} ops; average pooling is also differentiable twice (its backward
 * is linear), max pooling first-order only. Nearest up-sampling is a broadcast and
 * bilinear up-sampling two matrix products with fixed interpolation matrices, {@code Aₕ · x · A_wᵀ}, so both
 * are differentiable to any order.
 */
public final class Pooling {
    private Pooling() {
    }

    /** Where bilinear sampling places the output pixels relative to the input's (PyTorch's align_corners). */
    public enum Corners {
        /** Corner pixels of input and output coincide: {@code src = dst · (in − 1) / (out − 1)}. */
        ALIGNED,
        /** Pixel centres scale about the image centre: {@code src = (dst + ½) / scale − ½}, clamped at 0. */
        HALF_PIXEL
    }

    // ---- pooling -----------------------------------------------------------------------------------------

    /** Max over {@code kernel × kernel} windows with stride equal to the kernel and no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, kernel, kernel, 0);
    }

    /**
     * Max over {@code kernel × kernel} windows moved by {@code stride}; padding counts as −∞. Output side
     * {@code ⌊(in + 2·padding − kernel) / stride⌋ + 1}.
     */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("maxPool2d", "maxpool2d", x, kernel, stride, padding);
    }

    /** Mean over {@code kernel × kernel} windows with stride equal to the kernel and no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, kernel, kernel, 0);
    }

    /**
     * Mean over {@code kernel × kernel} windows moved by {@code stride}; zero padding is counted in the
     * divisor (PyTorch's default {@code count_include_pad=True}), so every window divides by kernel².
     */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return pool("avgPool2d", "avgpool2d", x, kernel, stride, padding);
    }

    private static Tensor pool(String name, String op, Tensor x, int kernel, int stride, int padding) {
        checkImage(name, x);
        if (kernel <= 0 || stride <= 0 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException(name + ": needs kernel > 0, stride > 0 and 0 <= padding <= kernel/2, "
                    + "got kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        long[] s = x.shape();
        long outH = (s[2] + 2L * padding - kernel) / stride + 1;
        long outW = (s[3] + 2L * padding - kernel) / stride + 1;
        if (s[2] + 2L * padding < kernel || s[3] + 2L * padding < kernel) {
            throw new IllegalArgumentException(name + ": input " + Shape.format(s) + " padded by " + padding
                    + " is smaller than the kernel " + kernel);
        }
        // kernel, stride, padding, dilation (h, w); VALID mode; avg divisor includes padding; NCHW
        int[] args = {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 1, 0};
        INDArray in = x.value().isView() ? x.value().dup('c') : x.value();
        INDArray out = Nd4j.createUninitialized(in.dataType(), s[0], s[1], outH, outW);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(in).addOutputs(out).addIntegerArguments(args).build());
        return Graph.record(op, out, g -> {
            if (GradMode.isEnabled() && op.equals("avgpool2d")) {
                // linear in g: its own gradient is average pooling again, so it can be differentiated twice
                INDArray gx = poolBackward(op, in, g, args);
                return new Tensor[] {Graph.record("avgpool2d_backward", gx, seed -> new Tensor[] {
                    avgPool2d(seed, kernel, stride, padding)}, g)};
            }
            Graph.firstOrderOnly(name);
            return new Tensor[] {Graph.constant(poolBackward(op, in, g, args))};
        }, x);
    }

    /** ND4J's {@code maxpool2d_bp} / {@code avgpool2d_bp}: the input gradient of a pooling given its output's. */
    private static INDArray poolBackward(String op, INDArray in, Tensor g, int[] args) {
        INDArray gx = Nd4j.createUninitialized(in.dataType(), in.shape());
        INDArray gv = g.value().isView() ? g.value().dup('c') : g.value();
        Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(in, gv).addOutputs(gx).addIntegerArguments(args)
                .build());
        return gx;
    }

    // ---- up-sampling -------------------------------------------------------------------------------------

    /** Repeats every pixel {@code scale × scale} times: (N, C, H, W) → (N, C, H·scale, W·scale). */
    public static Tensor upsampleNearest2d(Tensor x, int scale) {
        checkImage("upsampleNearest2d", x);
        checkScale("upsampleNearest2d", scale);
        long[] s = x.shape();
        if (Kernels.hasUpsampleNearest(x.value())) {
            INDArray out = Arena.allocate(x.value().dataType(), s[0], s[1], s[2] * scale, s[3] * scale);
            Kernels.upsampleNearest2d(x.value(), scale, out);
            return Graph.record("upsampleNearest2d", out, g -> {
                if (!x.requiresGrad()) {
                    return new Tensor[] {null};
                }
                if (GradMode.isEnabled()) {
                    // the same block sum from Tensor ops, so that it can be differentiated again
                    Tensor blocks = Shapes.reshape(g, s[0], s[1], s[2], scale, s[3], scale); // (N, C, H, s, W, s)
                    return new Tensor[] {Reductions.sum(blocks, new int[] {3, 5}, false)};
                }
                INDArray gx = Arena.allocate(x.value().dataType(), s);
                Kernels.upsampleNearest2dBackward(g.value(), scale, gx);
                return new Tensor[] {Graph.constant(gx)};
            }, x);
        }
        Tensor spread = Shapes.reshape(x, s[0], s[1], s[2], 1, s[3], 1); // (N, C, H, 1, W, 1)
        Tensor repeated = Shapes.expand(spread, s[0], s[1], s[2], scale, s[3], scale); // (N, C, H, s, W, s)
        return Shapes.reshape(repeated, s[0], s[1], s[2] * scale, s[3] * scale); // (N, C, H·s, W·s)
    }

    /**
     * Bilinear interpolation to (N, C, H·scale, W·scale), as PyTorch's
     * {@code interpolate(mode="bilinear", scale_factor=scale, align_corners=...)}.
     */
    public static Tensor upsampleBilinear2d(Tensor x, int scale, Corners corners) {
        checkImage("upsampleBilinear2d", x);
        checkScale("upsampleBilinear2d", scale);
        long[] s = x.shape();
        Tensor rows = interpolation(x, s[2], scale, corners); // (H·s, H)
        Tensor cols = interpolation(x, s[3], scale, corners); // (W·s, W)
        Tensor tall = LinearAlgebra.matmul(rows, x); // (N, C, H·s, W)
        return LinearAlgebra.matmul(tall, Shapes.transpose(cols, 0, 1)); // (N, C, H·s, W·s)
    }

    /** The (in·scale, in) matrix whose row i holds the two linear-interpolation weights of output pixel i. */
    private static Tensor interpolation(Tensor like, long in, int scale, Corners corners) {
        long out = in * scale;
        double[] a = new double[Math.toIntExact(out * in)];
        for (int i = 0; i < out; i++) {
            double src;
            if (corners == Corners.ALIGNED) {
                src = out > 1 ? i * (double) (in - 1) / (out - 1) : 0;
            } else {
                src = Math.max((i + 0.5) / scale - 0.5, 0);
            }
            int lo = (int) Math.min(Math.floor(src), in - 1);
            int hi = (int) Math.min(lo + 1, in - 1);
            double frac = src - lo;
            a[(int) (i * in + lo)] += 1 - frac;
            a[(int) (i * in + hi)] += frac;
        }
        return Graph.constant(Nd4j.create(a, new long[] {out, in}, like.value().dataType()));
    }

    private static void checkImage(String op, Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input must have shape (N, C, H, W), got "
                    + Shape.format(x.shape()));
        }
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + x.dtype());
        }
    }

    private static void checkScale(String op, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException(op + ": scale must be a positive integer, got " + scale);
        }
    }
}
