package org.latent4j.core.ops;

import java.util.ArrayList;
import java.util.List;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.ConvGeometry;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Convolutions in PyTorch's layout: inputs (N, C, H, W), conv weights (O, C/groups, kh, kw), transposed-conv
 * weights (C_in, C_out/groups, kh, kw). conv2d and its first-order backward run oneDNN's primitives through
 * {@link Kernels#conv2d} where that seam has them (float32 on the CPU backend), else ND4J's {@code conv2d}/
 * {@code conv2d_bp}; transposed convs run ND4J's {@code deconv2d}/{@code deconv2d_bp}. ND4J's ops run once per
 * group since ND4J has no grouped convolution. conv1d is conv2d on a height-1 image. When the backward pass records a graph
 * (gradient penalties), the gradients are built from the same ops instead (a transposed conv for the input,
 * a correlation of input and output gradient for the weight), so they can be differentiated again.
 */
public final class Convolution {
    private Convolution() {
    }

    /** Stride, padding (both sides) and dilation per spatial axis, and the number of channel groups. */
    public record Conv2dOptions(int strideH, int strideW, int paddingH, int paddingW, int dilationH, int dilationW,
            int groups) {
        public Conv2dOptions {
            checkOptions("Conv2dOptions", strideH, strideW, paddingH, paddingW, dilationH, dilationW, groups);
        }

        /** Stride 1, no padding, no dilation, one group. */
        public static Conv2dOptions defaults() {
            return new Conv2dOptions(1, 1, 0, 0, 1, 1, 1);
        }

        public static Conv2dOptions of(int stride, int padding) {
            return new Conv2dOptions(stride, stride, padding, padding, 1, 1, 1);
        }

        public Conv2dOptions withDilation(int dilation) {
            return new Conv2dOptions(strideH, strideW, paddingH, paddingW, dilation, dilation, groups);
        }

        public Conv2dOptions withGroups(int g) {
            return new Conv2dOptions(strideH, strideW, paddingH, paddingW, dilationH, dilationW, g);
        }
    }

    /** Stride, padding (both sides), dilation and channel groups of a 1-D convolution. */
    public record Conv1dOptions(int stride, int padding, int dilation, int groups) {
        public Conv1dOptions {
            checkOptions("Conv1dOptions", stride, stride, padding, padding, dilation, dilation, groups);
        }

        public static Conv1dOptions defaults() {
            return new Conv1dOptions(1, 0, 1, 1);
        }

        public static Conv1dOptions of(int stride, int padding) {
            return new Conv1dOptions(stride, padding, 1, 1);
        }

        public Conv1dOptions withDilation(int d) {
            return new Conv1dOptions(stride, padding, d, groups);
        }

        public Conv1dOptions withGroups(int g) {
            return new Conv1dOptions(stride, padding, dilation, g);
        }
    }

    /**
     * Options of a transposed convolution, as PyTorch's {@code conv_transpose2d}: {@code padding} is cropped
     * from both sides of the full output and {@code outputPadding} adds rows/columns at the bottom/right, so
     * {@code out = (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1}.
     */
    public record ConvTranspose2dOptions(int strideH, int strideW, int paddingH, int paddingW, int outputPaddingH,
            int outputPaddingW, int dilationH, int dilationW, int groups) {
        public ConvTranspose2dOptions {
            checkOptions("ConvTranspose2dOptions", strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                    groups);
            if (outputPaddingH < 0 || outputPaddingW < 0
                    || (outputPaddingH >= strideH && outputPaddingH >= dilationH)
                    || (outputPaddingW >= strideW && outputPaddingW >= dilationW)) {
                throw new IllegalArgumentException("ConvTranspose2dOptions: outputPadding (" + outputPaddingH + ","
                        + outputPaddingW + ") must be >= 0 and smaller than the stride or the dilation");
            }
        }

        public static ConvTranspose2dOptions defaults() {
            return new ConvTranspose2dOptions(1, 1, 0, 0, 0, 0, 1, 1, 1);
        }

        public static ConvTranspose2dOptions of(int stride, int padding) {
            return new ConvTranspose2dOptions(stride, stride, padding, padding, 0, 0, 1, 1, 1);
        }

        public ConvTranspose2dOptions withOutputPadding(int p) {
            return new ConvTranspose2dOptions(strideH, strideW, paddingH, paddingW, p, p, dilationH, dilationW,
                    groups);
        }

        public ConvTranspose2dOptions withDilation(int d) {
            return new ConvTranspose2dOptions(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                    d, d, groups);
        }

        public ConvTranspose2dOptions withGroups(int g) {
            return new ConvTranspose2dOptions(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                    dilationH, dilationW, g);
        }
    }

    private static void checkOptions(String name, int sH, int sW, int pH, int pW, int dH, int dW, int groups) {
        if (sH <= 0 || sW <= 0 || dH <= 0 || dW <= 0 || groups <= 0) {
            throw new IllegalArgumentException(name + ": stride, dilation and groups must be positive, got stride ("
                    + sH + "," + sW + "), dilation (" + dH + "," + dW + "), groups " + groups);
        }
        if (pH < 0 || pW < 0) {
            throw new IllegalArgumentException(name + ": padding must be >= 0, got (" + pH + "," + pW + ")");
        }
    }

    // ---- conv2d ------------------------------------------------------------------------------------------

    /** conv2d with stride 1, no padding, no dilation, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return conv2d(x, weight, bias, Conv2dOptions.defaults());
    }

    /**
     * Cross-correlation of {@code x} (N, C, H, W) with {@code weight} (O, C/groups, kh, kw) plus an optional
     * {@code bias} (O): output (N, O, H', W') with {@code H' = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dOptions o) {
        checkConv("conv2d", x, weight, bias, o.groups(), 4, false);
        long[] xs = x.shape();
        long[] ws = weight.shape();
        long outH = outputSize("conv2d", xs, ws, 2, o.paddingH(), o.dilationH(), o.strideH());
        long outW = outputSize("conv2d", xs, ws, 3, o.paddingW(), o.dilationW(), o.strideW());
        long[] args = conv2dArgs(ws, o);
        // from the arena's pool: a step of the same shapes reuses the buffers instead of touching fresh pages
        INDArray out = Arena.allocate(x.value().dataType(), xs[0], ws[0], outH, outW);
        ConvGeometry geometry = new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], outH, outW,
                o.strideH(), o.strideW(), o.paddingH(), o.paddingW(), o.dilationH(), o.dilationW(), o.groups(),
                bias != null);
        boolean oneDnn = Kernels.hasConv2d(geometry, x.value());
        if (oneDnn) {
            Kernels.conv2d(geometry, x.value(), weight.value(), bias == null ? null : bias.value(), out);
        } else {
            groupedForward("conv2d", args, o.groups(), x, weight, bias, out);
        }
        return Graph.record("conv2d", out, grad -> {
            if (GradMode.isEnabled()) {
                // dx is the transposed conv of g, dW the correlation of x with g: both differentiable again
                return new Tensor[] {
                    x.requiresGrad() ? conv2dInputGradient(grad, weight, o, xs) : null,
                    weight.requiresGrad() ? conv2dWeightGradient(x, grad, o, ws) : null,
                    biasGradient(bias, grad)
                };
            }
            if (oneDnn) {
                return oneDnnBackward(geometry, x, weight, bias, grad);
            }
            return groupedBackward("conv2d_bp", args, o.groups(), x, weight, bias, grad.value(), grad);
        }, x, weight, bias);
    }

    /** conv2d's gradients from oneDNN's backward primitives; the bias gradient comes with the weight's. */
    private static Tensor[] oneDnnBackward(ConvGeometry geometry, Tensor x, Tensor weight, Tensor bias, Tensor grad) {
        INDArray gx = x.requiresGrad() ? Arena.allocate(x.value().dataType(), x.shape()) : null;
        INDArray gw = weight.requiresGrad() ? Arena.allocate(weight.value().dataType(), weight.shape()) : null;
        INDArray gb = bias != null && bias.requiresGrad() ? Arena.allocate(bias.value().dataType(), bias.shape())
                : null;
        Kernels.conv2dBackward(geometry, x.value(), weight.value(), grad.value(), gx, gw, gb);
        return new Tensor[] {
            gx == null ? null : Graph.constant(gx),
            gw == null ? null : Graph.constant(gw),
            gb == null ? null : Graph.constant(gb)
        };
    }

    /** VALID padding mode, NCHW, weights (O, I, kh, kw). */
    private static long[] conv2dArgs(long[] ws, Conv2dOptions o) {
        return new long[] {ws[2], ws[3], o.strideH(), o.strideW(), o.paddingH(), o.paddingW(), o.dilationH(),
            o.dilationW(), 0, 0, 1};
    }

    /** d conv2d / dx applied to {@code g}: the transposed convolution, padded at the end to x's size. */
    private static Tensor conv2dInputGradient(Tensor g, Tensor weight, Conv2dOptions o, long[] xs) {
        long[] ws = weight.shape();
        long[] gs = g.shape();
        int extraH = (int) (xs[2] - ((gs[2] - 1) * o.strideH() - 2L * o.paddingH() + o.dilationH() * (ws[2] - 1) + 1));
        int extraW = (int) (xs[3] - ((gs[3] - 1) * o.strideW() - 2L * o.paddingW() + o.dilationW() * (ws[3] - 1) + 1));
        return convTranspose2d(g, weight, null, new ConvTranspose2dOptions(o.strideH(), o.strideW(), o.paddingH(),
                o.paddingW(), extraH, extraW, o.dilationH(), o.dilationW(), o.groups()));
    }

    /**
     * d conv2d / dW applied to {@code g}: {@code dW[o,c,i,j] = Σ g[n,o,y,x] · x[n, c, y·s + i·d − p, x·s + j·d − p]}.
     * Bilinear in (x, g), so its own gradients are a transposed conv (for x) and a conv (for g).
     */
    private static Tensor conv2dWeightGradient(Tensor x, Tensor g, Conv2dOptions o, long[] ws) {
        INDArray gw = Nd4j.createUninitialized(x.value().dataType(), ws);
        INDArray unusedGx = Nd4j.createUninitialized(x.value().dataType(), x.shape());
        INDArray zeros = Nd4j.zeros(x.value().dataType(), ws); // conv2d_bp's dW does not depend on W
        int n = o.groups();
        for (int i = 0; i < n; i++) {
            exec("conv2d_bp", conv2dArgs(ws, o), new INDArray[] {group(x.value(), i, n), group(zeros, i, n, 0),
                group(g.value(), i, n)}, group(unusedGx, i, n), group(gw, i, n, 0));
        }
        unusedGx.close();
        zeros.close();
        long[] xs = x.shape();
        return Graph.record("conv2d_weight_grad", gw, seed -> new Tensor[] {
            x.requiresGrad() ? conv2dInputGradient(g, seed, o, xs) : null,
            g.requiresGrad() ? conv2d(x, seed, null, o) : null
        }, x, g);
    }

    // ---- conv1d ------------------------------------------------------------------------------------------

    /** conv1d with stride 1, no padding, no dilation, one group. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
        return conv1d(x, weight, bias, Conv1dOptions.defaults());
    }

    /** Cross-correlation of {@code x} (N, C, L) with {@code weight} (O, C/groups, k): conv2d on a height-1 image. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, Conv1dOptions o) {
        checkConv("conv1d", x, weight, bias, o.groups(), 3, false);
        long[] xs = x.shape();
        long[] ws = weight.shape();
        outputSize("conv1d", xs, ws, 2, o.padding(), o.dilation(), o.stride());
        Tensor x4 = Shapes.reshape(x, xs[0], xs[1], 1, xs[2]); // (N, C, 1, L)
        Tensor w4 = Shapes.reshape(weight, ws[0], ws[1], 1, ws[2]); // (O, C/g, 1, k)
        Tensor y = conv2d(x4, w4, bias,
                new Conv2dOptions(1, o.stride(), 0, o.padding(), 1, o.dilation(), o.groups()));
        long[] ys = y.shape();
        return Shapes.reshape(y, ys[0], ys[1], ys[3]); // (N, O, L')
    }

    // ---- conv_transpose2d ----------------------------------------------------------------------------------

    /** convTranspose2d with stride 1, no padding, one group. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, ConvTranspose2dOptions.defaults());
    }

    /**
     * The transpose (gradient) of conv2d: {@code x} (N, C_in, H, W), {@code weight} (C_in, C_out/groups, kh, kw),
     * optional {@code bias} (C_out); see {@link ConvTranspose2dOptions} for the output size. In float32 on the CPU
     * it runs as the input gradient of the convolution it transposes, on oneDNN's primitives ({@link
     * Kernels#hasConv2d}); otherwise with ND4J's {@code deconv2d}, where output padding means the unpadded output
     * cropped by {@code padding} and extended.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvTranspose2dOptions o) {
        checkConv("convTranspose2d", x, weight, bias, o.groups(), 4, true);
        long[] xs = x.shape();
        long[] ws = weight.shape();
        int g = o.groups();
        long fullH = (xs[2] - 1) * o.strideH() + (long) o.dilationH() * (ws[2] - 1) + 1;
        long fullW = (xs[3] - 1) * o.strideW() + (long) o.dilationW() * (ws[3] - 1) + 1;
        long outH = fullH - 2L * o.paddingH() + o.outputPaddingH();
        long outW = fullW - 2L * o.paddingW() + o.outputPaddingW();
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("convTranspose2d: padding (" + o.paddingH() + "," + o.paddingW()
                    + ") leaves no output for input " + Shape.format(xs) + " and kernel " + ws[2] + "x" + ws[3]);
        }
        long cOut = ws[1] * g;
        // Without output padding ND4J's padded deconv2d gives the output directly; with it, the unpadded
        // ("full") output is cropped by the padding and extended with zeros at the bottom/right.
        boolean direct = o.outputPaddingH() == 0 && o.outputPaddingW() == 0;
        long[] args = {ws[2], ws[3], o.strideH(), o.strideW(), direct ? o.paddingH() : 0, direct ? o.paddingW() : 0,
            o.dilationH(), o.dilationW(), 0, 0, 1}; // VALID padding mode, NCHW, weights (C_in, C_out/g, kh, kw)
        // the convolution this one transposes: from the output's shape to x's, with x's weight
        ConvGeometry transposed = new ConvGeometry(xs[0], cOut, outH, outW, xs[1], ws[2], ws[3], xs[2], xs[3],
                o.strideH(), o.strideW(), o.paddingH(), o.paddingW(), o.dilationH(), o.dilationW(), g, false);
        boolean oneDnn = Kernels.hasConv2d(transposed, x.value());
        INDArray out;
        INDArrayIndex[][] crop = direct ? null : crop(fullH, fullW, outH, outW, o);
        if (oneDnn) {
            out = Arena.allocate(x.value().dataType(), xs[0], cOut, outH, outW);
            Kernels.convTranspose2d(transposed, x.value(), weight.value(), out);
            if (bias != null) {
                out.addi(bias.value().reshape(1, cOut, 1, 1));
            }
        } else if (direct) {
            out = Nd4j.createUninitialized(x.value().dataType(), xs[0], cOut, outH, outW);
            groupedForward("deconv2d", args, g, x, weight, bias, out);
        } else {
            INDArray full = Nd4j.createUninitialized(x.value().dataType(), xs[0], cOut, fullH, fullW);
            groupedForward("deconv2d", args, g, x, weight, null, full);
            out = Nd4j.zeros(x.value().dataType(), xs[0], cOut, outH, outW);
            out.get(crop[1]).assign(full.get(crop[0]));
            full.close();
            if (bias != null) {
                out.addi(bias.value().reshape(1, cOut, 1, 1));
            }
        }
        return Graph.record("conv_transpose2d", out, grad -> {
            if (GradMode.isEnabled()) {
                if (o.outputPaddingH() >= o.strideH() || o.outputPaddingW() >= o.strideW()) {
                    Graph.firstOrderOnly("convTranspose2d with outputPadding >= stride");
                }
                // the transposed conv's input gradient is a conv; its weight gradient that of the conv it transposes
                Conv2dOptions co = new Conv2dOptions(o.strideH(), o.strideW(), o.paddingH(), o.paddingW(),
                        o.dilationH(), o.dilationW(), g);
                return new Tensor[] {
                    x.requiresGrad() ? conv2d(grad, weight, null, co) : null,
                    weight.requiresGrad() ? conv2dWeightGradient(grad, x, co, ws) : null,
                    biasGradient(bias, grad)
                };
            }
            if (oneDnn) {
                return oneDnnTransposedBackward(transposed, x, weight, bias, grad);
            }
            if (direct) {
                return groupedBackward("deconv2d_bp", args, g, x, weight, bias, grad.value(), grad);
            }
            INDArray gFull = Nd4j.zeros(grad.value().dataType(), xs[0], cOut, fullH, fullW);
            gFull.get(crop[0]).assign(grad.value().get(crop[1]));
            Tensor[] grads = groupedBackward("deconv2d_bp", args, g, x, weight, bias, gFull, grad);
            gFull.close();
            return grads;
        }, x, weight, bias);
    }

    /** convTranspose2d's gradients from oneDNN's primitives of the convolution it transposes. */
    private static Tensor[] oneDnnTransposedBackward(ConvGeometry transposed, Tensor x, Tensor weight, Tensor bias,
            Tensor grad) {
        INDArray gx = x.requiresGrad() ? Arena.allocate(x.value().dataType(), x.shape()) : null;
        INDArray gw = weight.requiresGrad() ? Arena.allocate(weight.value().dataType(), weight.shape()) : null;
        Kernels.convTranspose2dBackward(transposed, x.value(), weight.value(), grad.value(), gx, gw);
        return new Tensor[] {
            gx == null ? null : Graph.constant(gx),
            gw == null ? null : Graph.constant(gw),
            biasGradient(bias, grad)
        };
    }

    /** Indices of the region of the full transposed output kept in the result: {full side, output side}. */
    private static INDArrayIndex[][] crop(long fullH, long fullW, long outH, long outW, ConvTranspose2dOptions o) {
        long h = Math.min(outH, fullH - o.paddingH());
        long w = Math.min(outW, fullW - o.paddingW());
        return new INDArrayIndex[][] {
            {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(o.paddingH(), o.paddingH() + h),
                NDArrayIndex.interval(o.paddingW(), o.paddingW() + w)},
            {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, w)}
        };
    }

    // ---- shared helpers --------------------------------------------------------------------------------------

    /** Runs {@code op} once per channel group: group i maps input channels and weight rows i to output group i. */
    private static void groupedForward(String op, long[] args, int g, Tensor x, Tensor weight, Tensor bias,
            INDArray out) {
        for (int i = 0; i < g; i++) {
            exec(op, args, new INDArray[] {group(x.value(), i, g), group(weight.value(), i, g, 0),
                bias == null ? null : group(bias.value(), i, g, 0)}, group(out, i, g));
        }
    }

    /** Gradients of x and weight from ND4J's {@code *_bp} op per group, given the output gradient {@code gradOut}. */
    private static Tensor[] groupedBackward(String op, long[] args, int g, Tensor x, Tensor weight, Tensor bias,
            INDArray gradOut, Tensor grad) {
        INDArray gx = Arena.allocate(x.value().dataType(), x.shape());
        INDArray gw = Arena.allocate(weight.value().dataType(), weight.shape());
        for (int i = 0; i < g; i++) {
            exec(op, args, new INDArray[] {group(x.value(), i, g), group(weight.value(), i, g, 0),
                group(gradOut, i, g)}, group(gx, i, g), group(gw, i, g, 0));
        }
        Tensor[] grads = {
            x.requiresGrad() ? Graph.constant(gx) : null,
            weight.requiresGrad() ? Graph.constant(gw) : null,
            biasGradient(bias, grad)
        };
        if (grads[0] == null) {
            Arena.release(gx);
        }
        if (grads[1] == null) {
            Arena.release(gw);
        }
        return grads;
    }

    private static Tensor biasGradient(Tensor bias, Tensor grad) {
        if (bias == null || !bias.requiresGrad()) {
            return null;
        }
        return Reductions.sum(grad, new int[] {0, 2, 3}, false);
    }

    /** Runs an ND4J convolution op on c-ordered copies of its inputs, writing into {@code outputs}. */
    private static void exec(String op, long[] args, INDArray[] inputs, INDArray... outputs) {
        List<INDArray> ins = new ArrayList<>();
        List<INDArray> copies = new ArrayList<>();
        for (INDArray in : inputs) {
            if (in != null && (in.isView() || in.ordering() != 'c')) {
                copies.add(in.dup('c'));
                ins.add(copies.get(copies.size() - 1));
            } else if (in != null) {
                ins.add(in);
            }
        }
        INDArray[] targets = new INDArray[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            targets[i] = outputs[i].isView() ? Nd4j.createUninitialized(outputs[i].dataType(), outputs[i].shape())
                    : outputs[i];
        }
        int[] intArgs = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            intArgs[i] = Math.toIntExact(args[i]);
        }
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(ins.toArray(new INDArray[0])).addOutputs(targets)
                .addIntegerArguments(intArgs).build());
        for (int i = 0; i < outputs.length; i++) {
            if (targets[i] != outputs[i]) {
                outputs[i].assign(targets[i]);
                targets[i].close();
            }
        }
        copies.forEach(INDArray::close);
    }

    /** Channels (axis 1) of group {@code i} of {@code g}; the array itself when g is 1. */
    private static INDArray group(INDArray a, int i, int g) {
        return group(a, i, g, 1);
    }

    private static INDArray group(INDArray a, int i, int g, int axis) {
        if (g == 1) {
            return a;
        }
        long size = a.size(axis) / g;
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = d == axis ? NDArrayIndex.interval(i * size, (i + 1) * size) : NDArrayIndex.all();
        }
        return a.get(idx);
    }

    /**
     * Validates ranks, dtypes and channel counts. For a conv the weight is (O, C/groups, k...); for a transposed
     * conv it is (C, O/groups, k...).
     */
    private static void checkConv(String op, Tensor x, Tensor w, Tensor bias, int groups, int rank,
            boolean transposed) {
        String layout = rank == 4 ? "(N, C, H, W)" : "(N, C, L)";
        if (x.rank() != rank) {
            throw new IllegalArgumentException(op + ": input must have shape " + layout + ", got "
                    + Shape.format(x.shape()));
        }
        if (w.rank() != rank) {
            throw new IllegalArgumentException(op + ": weight must have rank " + rank + ", got "
                    + Shape.format(w.shape()));
        }
        if (x.dtype() != w.dtype() || (bias != null && bias.dtype() != x.dtype())) {
            throw new IllegalArgumentException(op + ": dtypes differ (input " + x.dtype() + ", weight " + w.dtype()
                    + (bias != null ? ", bias " + bias.dtype() : "") + ")");
        }
        long c = x.size(1);
        long[] ws = w.shape();
        long expectedIn = transposed ? ws[0] : ws[1] * groups;
        if (c != expectedIn) {
            throw new IllegalArgumentException(op + ": input has " + c + " channels but weight expects "
                    + expectedIn + " (groups " + groups + ")");
        }
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + Shape.format(ws) + " has " + ws[0]
                    + (transposed ? " input" : " output") + " channels, not divisible by groups " + groups);
        }
        long outChannels = transposed ? ws[1] * groups : ws[0];
        if (bias != null && (bias.rank() != 1 || bias.size(0) != outChannels)) {
            throw new IllegalArgumentException(op + ": bias has shape " + Shape.format(bias.shape()) + " but there are "
                    + outChannels + " output channels");
        }
    }

    /** ⌊(in + 2p − d·(k − 1) − 1) / s⌋ + 1 along one spatial axis, or an error when the kernel does not fit. */
    private static long outputSize(String op, long[] xs, long[] ws, int axis, int padding, int dilation,
            int stride) {
        long span = (long) dilation * (ws[axis] - 1) + 1;
        long padded = xs[axis] + 2L * padding;
        if (padded < span) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(xs) + " padded by " + padding
                    + " is smaller than the kernel (" + span + " with dilation " + dilation + ") along axis " + axis);
        }
        return (padded - span) / stride + 1;
    }
}
