package org.latent4j.core.ops;

import java.util.Arrays;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.kernels.NormActivation;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer, group and batch normalization (Ba et al. 2016; Wu &amp; He 2018; Ioffe &amp; Szegedy 2015). Each
 * standardizes over some axes, {@code x̂ = (x − mean) / sqrt(var + eps)} with the biased variance, then applies
 * an optional elementwise affine map {@code x̂ · weight + bias}. The shared core is {@link #standardize}, whose
 * backward {@code dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / sqrt(var + eps)} is written with Tensor ops when the
 * backward pass records a graph (second-order gradients) and with ND4J array math otherwise. Layer norm over
 * the last axis of a float32 tensor runs the fused kernels of {@link Kernels} instead. ND4J's own
 * {@code layer_norm} has no epsilon, so it is not used.
 */
public final class Normalization {
    private Normalization() {
    }

    /** Whether batch normalization uses the batch's statistics (and updates the running ones) or the running ones. */
    public enum BatchNormMode {
        /** Normalize with the batch's mean and variance; update the running statistics in place. */
        TRAIN,
        /** Normalize with the running statistics; leave them unchanged. */
        EVAL
    }

    // ---- layer norm ------------------------------------------------------------------------------------

    /**
     * Normalizes over the trailing axes given by {@code normalizedShape} (PyTorch's {@code F.layer_norm});
     * {@code weight} and {@code bias}, of shape {@code normalizedShape}, may be null.
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        long[] shape = x.shape();
        int k = normalizedShape.length;
        if (k == 0 || k > shape.length
                || !Arrays.equals(normalizedShape, Arrays.copyOfRange(shape, shape.length - k, shape.length))) {
            throw new IllegalArgumentException("layerNorm: normalizedShape " + Shape.format(normalizedShape)
                    + " does not match the trailing dimensions of input " + Shape.format(shape));
        }
        checkParameter("layerNorm", "weight", weight, x, normalizedShape);
        checkParameter("layerNorm", "bias", bias, x, normalizedShape);
        if (k == 1 && x.dtype() == DType.FLOAT32) {
            return layerNormLastAxis(x, weight, bias, eps);
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = shape.length - k + i;
        }
        return affine(standardize("layerNorm", x, axes, eps, null), weight, bias, normalizedShape);
    }

    /**
     * Layer norm over the last axis of a float32 tensor through the {@link Kernels} seam: one fused pass
     * forward (saving the per-row mean and 1/√(var + eps)) and one backward. When the backward records a graph
     * (second-order gradients) it is rebuilt from Tensor ops instead.
     */
    private static Tensor layerNormLastAxis(Tensor x, Tensor weight, Tensor bias, double eps) {
        if (eps < 0) {
            throw new IllegalArgumentException("layerNorm: eps must be >= 0, got " + eps);
        }
        long[] shape = x.shape();
        long n = shape[shape.length - 1];
        long rows = n == 0 ? 0 : x.numel() / n;
        INDArray in = x.value();
        INDArray out = Arena.allocate(in.dataType(), shape);
        // kept for the backward pass: freed with the step's arena
        INDArray mean = Arena.track(Arena.allocate(in.dataType(), rows));
        INDArray rstd = Arena.track(Arena.allocate(in.dataType(), rows));
        Kernels.layerNormLastAxis(in, weight == null ? null : weight.value(), bias == null ? null : bias.value(), eps,
                out, mean, rstd);
        return Graph.record("layerNorm", out, g -> {
            if (GradMode.isEnabled()) {
                return layerNormGradients(x, weight, bias, g, eps);
            }
            INDArray dx = x.requiresGrad() ? Arena.allocate(in.dataType(), shape) : null;
            INDArray dw = weight != null && weight.requiresGrad() ? Arena.allocate(in.dataType(), n) : null;
            INDArray db = bias != null && bias.requiresGrad() ? Arena.allocate(in.dataType(), n) : null;
            INDArray scratch = dx == null ? Arena.allocate(in.dataType(), shape) : dx;
            Kernels.layerNormLastAxisBackward(in, g.value(), weight == null ? null : weight.value(), mean, rstd,
                    scratch, dw, db);
            if (scratch != dx) {
                Arena.release(scratch);
            }
            return new Tensor[] {
                dx == null ? null : Graph.constant(dx),
                dw == null ? null : Graph.constant(dw),
                db == null ? null : Graph.constant(db)
            };
        }, x, weight, bias);
    }

    /** The layer-norm gradients written with Tensor ops, so that they can be differentiated again. */
    private static Tensor[] layerNormGradients(Tensor x, Tensor weight, Tensor bias, Tensor g, double eps) {
        int[] last = {x.rank() - 1};
        long[] parameterShape = {x.size(-1)};
        Tensor gy = weight == null ? g : g.mul(weight);
        Tensor dx = x.requiresGrad() ? standardizeGradient(x, gy, last, eps) : null;
        Tensor dw = null;
        if (weight != null && weight.requiresGrad()) {
            Tensor centered = x.sub(Reductions.mean(x, last, true));
            Tensor y = centered.mul(Elementwise.rsqrt(Reductions.mean(centered.mul(centered), last, true).add(eps)));
            dw = Shapes.sumTo(g.mul(y), parameterShape);
        }
        Tensor db = bias != null && bias.requiresGrad() ? Shapes.sumTo(g, parameterShape) : null;
        return new Tensor[] {dx, dw, db};
    }

    // ---- group norm ------------------------------------------------------------------------------------

    /**
     * Splits the channels of {@code x} (N, C, ...) into {@code groups} groups and normalizes each group of each
     * sample over its channels and positions; {@code weight} and {@code bias} (C) may be null.
     */
    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        return groupNorm("groupNorm", x, null, groups, weight, bias, eps, NormActivation.NONE);
    }

    /**
     * {@code silu(groupNorm(x + shift))} in one fused pass, as a U-Net's residual block applies it: {@code shift}
     * (N, C), nullable, is added to every position of its sample's channel first (a projected time embedding).
     * Saves the two full-size intermediates of the composition and their backward passes.
     */
    public static Tensor groupNormSilu(Tensor x, Tensor shift, int groups, Tensor weight, Tensor bias, double eps) {
        return groupNorm("groupNormSilu", x, shift, groups, weight, bias, eps, NormActivation.SILU);
    }

    /**
     * One graph node for the whole normalization. Float32 runs the {@link Kernels} group-norm kernel both ways;
     * otherwise (float64, no Vector API) the value comes from the composition of standardize, affine and SiLU,
     * and the gradients from {@link #groupNormGradients}, as they also do when the backward records a graph.
     */
    private static Tensor groupNorm(String op, Tensor x, Tensor shift, int groups, Tensor weight, Tensor bias,
            double eps, NormActivation activation) {
        long[] shape = x.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": input must have shape (N, C, ...), got " + Shape.format(shape));
        }
        if (groups <= 0 || shape[1] % groups != 0) {
            throw new IllegalArgumentException(op + ": " + shape[1] + " channels cannot be split into "
                    + groups + " groups");
        }
        checkParameter(op, "weight", weight, x, new long[] {shape[1]});
        checkParameter(op, "bias", bias, x, new long[] {shape[1]});
        checkParameter(op, "shift", shift, x, new long[] {shape[0], shape[1]});
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + x.dtype());
        }
        if (eps < 0) {
            throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        }
        INDArray xv = x.value();
        INDArray sv = shift == null ? null : shift.value();
        INDArray wv = weight == null ? null : weight.value();
        INDArray bv = bias == null ? null : bias.value();
        boolean kernel = Kernels.hasGroupNorm(xv, sv, wv, bv);
        INDArray out;
        INDArray mean = null;
        INDArray rstd = null;
        if (kernel) {
            out = Arena.allocate(xv.dataType(), shape);
            // kept for the backward pass: freed with the step's arena
            mean = Arena.track(Arena.allocate(xv.dataType(), shape[0] * groups));
            rstd = Arena.track(Arena.allocate(xv.dataType(), shape[0] * groups));
            Kernels.groupNorm(xv, sv, groups, wv, bv, eps, activation, out, mean, rstd);
        } else {
            try (GradMode.Scope ng = GradMode.noGrad()) {
                out = composedGroupNorm(x, shift, groups, weight, bias, eps, activation).value().dup();
            }
        }
        INDArray m = mean;
        INDArray r = rstd;
        return Graph.record(op, out, g -> {
            if (!kernel || GradMode.isEnabled()) {
                return groupNormGradients(x, shift, groups, weight, bias, eps, activation, g);
            }
            INDArray dx = x.requiresGrad() ? Arena.allocate(xv.dataType(), shape) : null;
            INDArray ds = shift != null && shift.requiresGrad() ? Arena.allocate(xv.dataType(), sv.shape()) : null;
            INDArray dw = weight != null && weight.requiresGrad() ? Arena.allocate(xv.dataType(), shape[1]) : null;
            INDArray db = bias != null && bias.requiresGrad() ? Arena.allocate(xv.dataType(), shape[1]) : null;
            INDArray scratch = dx == null ? Arena.allocate(xv.dataType(), shape) : dx;
            Kernels.groupNormBackward(xv, sv, groups, wv, bv, activation, m, r, g.value(), scratch, ds, dw, db);
            if (scratch != dx) {
                Arena.release(scratch);
            }
            return new Tensor[] {constantOrNull(dx), constantOrNull(ds), constantOrNull(dw), constantOrNull(db)};
        }, x, shift, weight, bias);
    }

    private static Tensor constantOrNull(INDArray a) {
        return a == null ? null : Graph.constant(a);
    }

    /** {@code act(affine(standardize(x + shift)))} from Tensor ops: the reference the kernel is tested against. */
    private static Tensor composedGroupNorm(Tensor x, Tensor shift, int groups, Tensor weight, Tensor bias,
            double eps, NormActivation activation) {
        long[] shape = x.shape();
        Tensor z = shift == null ? x : x.add(Shapes.reshape(shift, perSampleChannelShape(shape))); // (N, C, 1, ...)
        Tensor grouped = Shapes.reshape(z, shape[0], groups, -1); // (N, G, C/G · spatial)
        Tensor y = affine(Shapes.reshape(standardizeComposed(grouped, eps), shape), weight, bias,
                channelShape(shape)); // (N, C, ...)
        return activation == NormActivation.SILU ? Activations.silu(y) : y;
    }

    /** (x − mean)/√(var + eps) over axis 2 of (N, G, L) from Tensor ops, differentiable to any order. */
    private static Tensor standardizeComposed(Tensor grouped, double eps) {
        int[] axes = {2};
        Tensor centered = grouped.sub(Reductions.mean(grouped, axes, true));
        return centered.mul(Elementwise.rsqrt(Reductions.mean(centered.mul(centered), axes, true).add(eps)));
    }

    /**
     * The group-norm gradients from Tensor ops, differentiable again: with {@code z = x + shift},
     * {@code gy = g·act'(y)}: {@code dz = standardize'(z)ᵀ(gy·weight)}, {@code dx = dz}, {@code dshift = Σ_spatial
     * dz}, {@code dweight = Σ gy·ẑ}, {@code dbias = Σ gy}.
     */
    private static Tensor[] groupNormGradients(Tensor x, Tensor shift, int groups, Tensor weight, Tensor bias,
            double eps, NormActivation activation, Tensor g) {
        long[] shape = x.shape();
        long[] channels = channelShape(shape);
        Tensor z = shift == null ? x : x.add(Shapes.reshape(shift, perSampleChannelShape(shape))); // (N, C, 1, ...)
        Tensor grouped = Shapes.reshape(z, shape[0], groups, -1); // (N, G, C/G · spatial)
        boolean needXHat = activation == NormActivation.SILU || (weight != null && weight.requiresGrad());
        Tensor xHat = needXHat ? Shapes.reshape(standardizeComposed(grouped, eps), shape) : null; // (N, C, ...)
        Tensor gy = g;
        if (activation == NormActivation.SILU) {
            Tensor y = affine(xHat, weight, bias, channels);
            Tensor s = Activations.sigmoid(y);
            gy = g.mul(s.mul(y.mul(Elementwise.oneMinus(s)).add(1.0))); // silu'(y) = σ(y)(1 + y(1 − σ(y)))
        }
        Tensor dx = null;
        Tensor dShift = null;
        if (x.requiresGrad() || (shift != null && shift.requiresGrad())) {
            Tensor gz = weight == null ? gy : gy.mul(Shapes.reshape(weight, channels)); // (N, C, ...)
            Tensor dz = Shapes.reshape(standardizeGradient(grouped, Shapes.reshape(gz, grouped.shape()),
                    new int[] {2}, eps), shape);
            dx = x.requiresGrad() ? dz : null;
            if (shift != null && shift.requiresGrad()) {
                dShift = Shapes.reshape(Shapes.sumTo(dz, perSampleChannelShape(shape)), shape[0], shape[1]);
            }
        }
        Tensor dw = weight != null && weight.requiresGrad()
                ? Shapes.reshape(Shapes.sumTo(gy.mul(xHat), channels), shape[1]) : null;
        Tensor db = bias != null && bias.requiresGrad()
                ? Shapes.reshape(Shapes.sumTo(gy, channels), shape[1]) : null;
        return new Tensor[] {dx, dShift, dw, db};
    }

    /** (N, C, 1, ...): a per-sample, per-channel value shaped to broadcast against (N, C, ...). */
    private static long[] perSampleChannelShape(long[] shape) {
        long[] out = new long[shape.length];
        Arrays.fill(out, 1);
        out[0] = shape[0];
        out[1] = shape[1];
        return out;
    }

    // ---- batch norm ------------------------------------------------------------------------------------

    /**
     * Batch normalization of {@code x} (N, C, ...) per channel, as PyTorch's {@code F.batch_norm}. In
     * {@link BatchNormMode#TRAIN} the batch statistics are used and, when given, the running statistics (C)
     * are updated in place: {@code running = (1 − momentum) · running + momentum · batchStat}, the variance
     * being the unbiased one. In {@link BatchNormMode#EVAL} the running statistics are used.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            BatchNormMode mode, double momentum, double eps) {
        long[] shape = x.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException("batchNorm: input must have shape (N, C, ...), got "
                    + Shape.format(shape));
        }
        long[] channels = {shape[1]};
        checkParameter("batchNorm", "runningMean", runningMean, x, channels);
        checkParameter("batchNorm", "runningVar", runningVar, x, channels);
        checkParameter("batchNorm", "weight", weight, x, channels);
        checkParameter("batchNorm", "bias", bias, x, channels);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: give both runningMean and runningVar or neither");
        }
        long[] broadcast = channelShape(shape);
        if (mode == BatchNormMode.EVAL) {
            if (runningMean == null) {
                throw new IllegalArgumentException("batchNorm: EVAL mode needs runningMean and runningVar");
            }
            INDArray scale = Transforms.pow(runningVar.value().reshape(broadcast).add(eps), -0.5, false); // (C, 1, ...)
            Tensor centered = x.sub(Graph.constant(runningMean.value().reshape(broadcast).dup()));
            return affine(centered.mul(Graph.constant(scale)), weight, bias, broadcast);
        }
        int[] axes = new int[shape.length - 1]; // every axis but the channels
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != 1) {
                axes[j++] = i;
            }
        }
        long count = Shape.numel(shape) / shape[1]; // values per channel
        if (count <= 1) {
            throw new IllegalArgumentException("batchNorm: TRAIN mode needs more than one value per channel, "
                    + "got input " + Shape.format(shape));
        }
        INDArray[] stats = new INDArray[2];
        Tensor normalized = Kernels.hasBatchNorm(x.value()) ? batchStandardize(x, axes, eps, stats)
                : standardize("batchNorm", x, axes, eps, stats);
        if (runningMean != null) {
            INDArray meanUpdate = stats[0].reshape(channels).mul(momentum);
            INDArray varUpdate = stats[1].reshape(channels).mul(momentum * count / (count - 1));
            runningMean.value().muli(1 - momentum).addi(meanUpdate);
            runningVar.value().muli(1 - momentum).addi(varUpdate);
            meanUpdate.close();
            varUpdate.close();
        }
        stats[0].close();
        stats[1].close();
        return affine(normalized, weight, bias, broadcast);
    }

    /**
     * {@link #standardize} over every axis but the channels, on the Java kernel ({@link Kernels#hasBatchNorm});
     * {@code stats} receives the batch mean and biased variance as (C) arrays.
     */
    private static Tensor batchStandardize(Tensor x, int[] axes, double eps, INDArray[] stats) {
        if (eps < 0) {
            throw new IllegalArgumentException("batchNorm: eps must be >= 0, got " + eps);
        }
        int c = (int) x.shape()[1];
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] rstd = new float[c];
        INDArray out = Arena.allocate(x.value().dataType(), x.shape());
        Kernels.batchNormStandardize(x.value(), eps, mean, var, rstd, out);
        stats[0] = Nd4j.createFromArray(mean);
        stats[1] = Nd4j.createFromArray(var);
        return Graph.record("batchNorm", out, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {standardizeGradient(x, g, axes, eps)};
            }
            INDArray dx = Arena.allocate(out.dataType(), out.shape());
            Kernels.batchNormStandardizeBackward(out, Kernels.contiguous(g.value()), rstd, dx);
            return new Tensor[] {Graph.constant(dx)};
        }, x);
    }

    // ---- shared core -------------------------------------------------------------------------------------

    /**
     * {@code (x − mean) / sqrt(var + eps)} over {@code axes} (kept as size 1 for broadcasting). When
     * {@code stats} is given it receives the batch mean and biased variance (keepDims shape).
     */
    static Tensor standardize(String op, Tensor x, int[] axes, double eps, INDArray[] stats) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + x.dtype());
        }
        if (eps < 0) {
            throw new IllegalArgumentException(op + ": eps must be >= 0, got " + eps);
        }
        INDArray in = x.value();
        INDArray mean = in.mean(true, axes);
        INDArray centered = in.sub(mean);
        INDArray squares = centered.mul(centered);
        INDArray var = squares.mean(true, axes);
        squares.close();
        // kept for the backward pass: freed with the step's arena
        INDArray rstd = Arena.track(Transforms.pow(var.add(eps), -0.5, false));
        INDArray out = centered.muli(rstd);
        if (stats != null) {
            stats[0] = mean;
            stats[1] = var;
        } else {
            mean.close();
            var.close();
        }
        return Graph.record(op, out, g -> new Tensor[] {standardizeBackward(x, out, rstd, g, axes, eps)}, x);
    }

    private static Tensor standardizeBackward(Tensor x, INDArray out, INDArray rstd, Tensor g, int[] axes,
            double eps) {
        if (GradMode.isEnabled()) {
            return standardizeGradient(x, g, axes, eps);
        }
        INDArray gv = g.value();
        INDArray gy = gv.mul(out);
        INDArray gyMean = gy.mean(true, axes);
        INDArray gMean = gv.mean(true, axes);
        INDArray projection = out.mul(gyMean);
        INDArray dx = gv.sub(gMean).subi(projection).muli(rstd);
        for (INDArray temporary : new INDArray[] {gy, gyMean, gMean, projection}) {
            temporary.close();
        }
        return Graph.constant(dx);
    }

    /** The backward of {@link #standardize} rebuilt from x with Tensor ops, so it is itself differentiable in x. */
    private static Tensor standardizeGradient(Tensor x, Tensor g, int[] axes, double eps) {
        Tensor centered = x.sub(Reductions.mean(x, axes, true));
        Tensor r = Elementwise.rsqrt(Reductions.mean(centered.mul(centered), axes, true).add(eps));
        Tensor y = centered.mul(r);
        Tensor projection = y.mul(Reductions.mean(g.mul(y), axes, true));
        return r.mul(g.sub(Reductions.mean(g, axes, true)).sub(projection));
    }

    private static Tensor affine(Tensor normalized, Tensor weight, Tensor bias, long[] parameterShape) {
        Tensor out = normalized;
        if (weight != null) {
            out = out.mul(Shapes.reshape(weight, parameterShape)); // (C, 1, ...) or normalizedShape
        }
        if (bias != null) {
            out = out.add(Shapes.reshape(bias, parameterShape)); // (C, 1, ...) or normalizedShape
        }
        return out;
    }

    /** (C, 1, 1, ...): a per-channel parameter shaped to broadcast against (N, C, ...). */
    private static long[] channelShape(long[] shape) {
        long[] out = new long[shape.length - 1];
        Arrays.fill(out, 1);
        out[0] = shape[1];
        return out;
    }

    private static void checkParameter(String op, String name, Tensor p, Tensor x, long[] expected) {
        if (p == null) {
            return;
        }
        if (!Arrays.equals(p.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shape.format(p.shape())
                    + " but input " + Shape.format(x.shape()) + " needs " + Shape.format(expected));
        }
        if (p.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " is " + p.dtype() + " but input is " + x.dtype());
        }
    }
}
