package org.latent4j.core.kernels;

import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seam under the hot ops. Each method computes into preallocated outputs with the implementation
 * measured fastest for it on the current backend: the Java Vector API kernels in this package, or ND4J's (and
 * for float32 matmul oneDNN's own sgemm). The choice is made in {@link #useDnnl} and {@link #useJava}; ops never
 * call ND4J's heavy kernels directly.
 * Inputs may be views (they are copied to c-order when needed); outputs must have the stated shapes.
 */
public final class Kernels {
    private Kernels() {
    }

    /** What a call computes, for {@link #useJava}. */
    private enum Kernel { MATMUL_2D, MATMUL_2D_TRANSPOSED_B, MATMUL_BATCHED, SOFTMAX, SOFTMAX_BACKWARD, LAYER_NORM, LAYER_NORM_BACKWARD, ATTENTION,
        GROUP_NORM, UPSAMPLE_NEAREST, ADAM, GELU, NORM, POINTWISE, BATCH_NORM, LOG_SUM_EXP }

    /**
     * Java or ND4J, by measurement. Measured 2026-11-28 on this project's 2-core AMD EPYC (AVX2 only, so
     * {@code SPECIES_PREFERRED} is 256-bit) while ~8 other builds shared it (load average 15–22), so the
     * figures are CPU-time ratios taken in one process, not absolute speeds (see docs/benchmarks.md):
     * <ul>
     * <li>2-D matmul, measured 2026-11-29 under the same load as single-thread CPU time (ND4J with
     *     OMP_NUM_THREADS=1), GFLOP per CPU-second best/median: n = 256 Java 70/38, ND4J 67/41; n = 512 Java
     *     71/40, ND4J 71/51; n = 1024 Java 68/43, ND4J 73/63; n = 2048 Java 44/44, ND4J 69/68. Per core they tie up
     *     to n = 1024, and ND4J loses most at small sizes to its thread hand-offs (on the quiet machine its 2-thread
     *     matmul reached 48/64/114/91 GFLOPS at 256/512/1024/2048, below one core's worth at 256 and 512), so Java
     *     below {@link #MATMUL_JAVA_MAX} multiply-adds, ND4J (oneDNN) above, where its blocking keeps B in cache
     *     better. The Java path also reads transposed operands (Linear's x·Wᵀ) in place.</li>
     * <li>batched matmul (rank 3/4), q·kᵀ at (4,8,512,64): Java 31 GFLOP/CPU-s, ND4J 8. Java.</li>
     * <li>softmax: (8,8,128,128) Java 2.8 CPU-ms against ND4J 8.2; (1,8,2048,2048) Java 86 against oneDNN's
     *     55. Java below {@link #SOFTMAX_JAVA_MAX} elements, ND4J above.</li>
     * <li>softmax backward, layer norm forward and backward: Java (ND4J has no fused softmax backward from
     *     the output, and its layer_norm has no epsilon; the compositions allocate per pass).</li>
     * <li>attention: Java's fused kernel; ND4J's composition materializes (Tq×Tk) several times.</li>
     * </ul>
     * Always ND4J when the Vector API module is absent, on a non-CPU backend, or for anything but float32.
     */
    private static boolean useJava(Kernel kernel, INDArray... arrays) {
        if (!VectorSupport.usable()) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && a.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return switch (kernel) {
            case MATMUL_2D -> arrays[0].size(0) * arrays[0].size(1) * arrays[1].size(1) <= MATMUL_JAVA_MAX;
            case MATMUL_2D_TRANSPOSED_B -> arrays[0].size(0) * arrays[0].size(1) * arrays[1].size(0) <= MATMUL_JAVA_MAX;
            case SOFTMAX -> arrays[0].length() < SOFTMAX_JAVA_MAX;
            case MATMUL_BATCHED, SOFTMAX_BACKWARD, LAYER_NORM, LAYER_NORM_BACKWARD, ATTENTION -> true;
            case GROUP_NORM, UPSAMPLE_NEAREST, ADAM, GELU, NORM, POINTWISE, BATCH_NORM, LOG_SUM_EXP -> true;
        };
    }

    /**
     * Whether a float32 matmul goes to oneDNN's {@code dnnl_sgemm} ({@link DnnlGemm}): whenever it is available, 2-D
     * and batched, every size; {@link #useJava} then only decides for the fallback. Measured 2026-11-29 on the
     * 2-core EPYC, interleaved rounds in one process, GFLOPS best/median:
     * <ul>
     * <li>one thread, GFLOP per CPU-second while other builds kept the machine busy: dnnl against the Java sgemm
     *     n = 256 79/77 against 51/35, n = 1024 76/72 against 70/66, n = 2048 80/73 against 69/48; the baby GPT's
     *     (768,128)·(128,384)ᵀ 87/83 against 69/62, (768,512)·(512,128)ᵀ 72/68 against 36/34, its weight gradient
     *     (384,768)ᵀ·(768,128) 65/56 against 56/31; 64³ 95/61 against 28/19.</li>
     * <li>two threads, wall time, machine half busy: dnnl in blocks on the kernel threads against the Java sgemm and
     *     ND4J's Mmul (oneDNN's matmul on OpenMP threads): n = 256 116/95, 72/49, 70/34; n = 2048 134/130, 110/91,
     *     128/124; GPT (768,128)·(128,384)ᵀ 117/83, 82/66, 114/98; (768,512)·(512,128)ᵀ 124/113, 83/69, 122/105;
     *     (384,768)ᵀ·(768,128) 117/106, 63/43, 107/78. With the machine fully busy, OpenMP's split (dnnl's own or
     *     Mmul's) collapsed to 9–11 on the GPT shapes, its barrier waiting for a descheduled thread.</li>
     * <li>m = 1 (a decoding step): dnnl and the Java small-row path tie (4–7 GFLOPS, per-call costs dominate).</li>
     * </ul>
     * {@link #setDnnlMatmul setDnnlMatmul(false)} turns the path off (A/B runs, or to rule oneDNN out when hunting a
     * bug).
     */
    private static boolean useDnnl(INDArray... arrays) {
        for (INDArray x : arrays) {
            if (x.dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return dnnlMatmul && DnnlGemm.available();
    }

    /**
     * Routes float32 products to the Java sgemm and ND4J when false (default true): for A/B measurements and for
     * tests that compare the paths. Not for applications.
     */
    public static void setDnnlMatmul(boolean enabled) {
        dnnlMatmul = enabled;
    }

    private static volatile boolean dnnlMatmul = true;

    /** 2-D products with more multiply-adds than this go to oneDNN (measured: see {@link #useJava}). */
    private static final long MATMUL_JAVA_MAX = 1L << 28;

    /** Softmax inputs with at least this many elements go to oneDNN (measured: see {@link #useJava}). */
    private static final long SOFTMAX_JAVA_MAX = 1L << 22;

    /**
     * {@code out = a @ b} over the last two axes, with equal leading (batch) axes. oneDNN's sgemm ({@link #useDnnl})
     * and the Java sgemm read row- and column-major operands in place; on the ND4J path the {@code Mmul} custom op
     * into a preallocated output is the oneDNN build's fast path (the allocating {@code INDArray.mmul} takes the old
     * OpenBLAS path).
     */
    public static void matmul(INDArray a, INDArray b, INDArray out) {
        Kernel kind = a.rank() == 2 ? Kernel.MATMUL_2D : Kernel.MATMUL_BATCHED;
        if (useDnnl(a, b, out)) {
            dnnlMatmul(a, b, out);
        } else if (useJava(kind, a, b, out)) {
            javaMatmul(a, b, out);
        } else {
            Nd4jKernels.matmul(contiguous(a), contiguous(b), out);
        }
    }

    /**
     * {@code out = a @ bᵀ} for 2-D {@code a} (m, k) and {@code b} (n, k): a linear layer's {@code x·Wᵀ}. oneDNN's
     * sgemm and the Java sgemm read b in place as the transpose it needs; ND4J gets a transposed view.
     */
    public static void matmulTransposedB(INDArray a, INDArray b, INDArray out) {
        if (a.rank() != 2 || b.rank() != 2 || out.rank() != 2 || a.size(1) != b.size(1) || out.size(0) != a.size(0)
                || out.size(1) != b.size(0)) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape()) + " x transposed "
                    + Shape.format(b.shape()) + " into " + Shape.format(out.shape()) + ": shapes do not fit");
        }
        if (useDnnl(a, b, out)) {
            INDArray target = DnnlGemm.writable(out) ? out : writable(out);
            DnnlGemm.matmulTransposedB(DnnlGemm.readable(a) ? a : contiguous(a), DnnlGemm.readable(b) ? b : contiguous(b),
                    target);
            finish(out, target);
        } else if (useJava(Kernel.MATMUL_2D_TRANSPOSED_B, a, b, out) && Sgemm.readable(b) && HostFloats.isDense(out)) {
            Sgemm.matmulTransposedB(Sgemm.readable(a) ? a : contiguous(a), b, out);
        } else {
            matmul(a, b.transpose(), out);
        }
    }

    /** {@code out = a @ b} with the Java sgemm, whatever {@link #useJava} picks (benchmarks compare both). */
    public static void javaMatmul(INDArray a, INDArray b, INDArray out) {
        checkMatmul(a, b, out);
        INDArray target = writable(out);
        Sgemm.matmul(Sgemm.readable(a) ? a : contiguous(a), Sgemm.readable(b) ? b : contiguous(b), target);
        finish(out, target);
    }

    /**
     * {@code out = a @ b} over the last two axes with oneDNN's {@code dnnl_sgemm}, whatever {@link #useDnnl} picks
     * (benchmarks compare the paths). Operands are read in place when row- or column-major, else copied.
     */
    public static void dnnlMatmul(INDArray a, INDArray b, INDArray out) {
        checkMatmul(a, b, out);
        if (!DnnlGemm.available()) {
            throw new IllegalStateException("matmul: oneDNN's sgemm is not available here (needs the org.bytedeco:dnnl "
                    + "classes and natives on the CPU backend)");
        }
        INDArray target = DnnlGemm.writable(out) ? out : writable(out);
        DnnlGemm.matmul(DnnlGemm.readable(a) ? a : contiguous(a), DnnlGemm.readable(b) ? b : contiguous(b), target);
        finish(out, target);
    }

    private static void checkMatmul(INDArray a, INDArray b, INDArray out) {
        int r = a.rank();
        if (r < 2 || b.rank() != r || out.rank() != r || a.size(r - 1) != b.size(r - 2)) {
            throw new IllegalArgumentException("matmul: " + shapes(a, b) + ": inner dimensions differ");
        }
        for (int i = 0; i < r - 2; i++) {
            if (a.size(i) != b.size(i) || a.size(i) != out.size(i)) {
                throw new IllegalArgumentException("matmul: " + shapes(a, b) + ": batch dimensions differ");
            }
        }
        if (out.size(r - 2) != a.size(r - 2) || out.size(r - 1) != b.size(r - 1)) {
            throw new IllegalArgumentException("matmul: " + shapes(a, b) + " into " + Shape.format(out.shape())
                    + ": the output's shape differs");
        }
    }

    /** {@code out = softmax(x)} over the last axis: {@code exp(x_i - max x) / Σ_j exp(x_j - max x)}. */
    public static void softmaxLastAxis(INDArray x, INDArray out) {
        sameShape("softmax", x, out);
        if (useJava(Kernel.SOFTMAX, x, out)) {
            INDArray target = writable(out);
            VectorSoftmax.forward(contiguous(x), target);
            finish(out, target);
        } else {
            Nd4jKernels.softmax(x, out);
        }
    }

    /** Whether {@link #logSumExpLastAxis} runs in Java on x (dense float32, Java kernels usable). */
    public static boolean hasLogSumExp(INDArray x) {
        return HostFloats.isDense(x) && useJava(Kernel.LOG_SUM_EXP, x);
    }

    /**
     * {@code out[r] = log Σ_j exp(x[r, j])} for each row r of x's last axis, in Java lanes ({@link #hasLogSumExp});
     * cross-entropy's per-row shift. Its scalar {@code Math.exp} loop took 94 ms of a (16384, 256) step (docs).
     */
    public static void logSumExpLastAxis(INDArray x, float[] out) {
        long rows = x.length() / Math.max(1, x.size(x.rank() - 1));
        if (out.length != rows) {
            throw new IllegalArgumentException("logSumExp: " + rows + " rows but " + out.length + " outputs");
        }
        if (!hasLogSumExp(x)) {
            throw new IllegalStateException("logSumExp: the Java kernel cannot take this array (see Kernels.hasLogSumExp)");
        }
        VectorSoftmax.logSumExpRows(x, out);
    }

    /** Backward of {@link #softmaxLastAxis} from its output y: {@code gradIn = y ∘ (gradOut - Σ gradOut ∘ y)}. */
    public static void softmaxLastAxisBackward(INDArray y, INDArray gradOut, INDArray gradIn) {
        sameShape("softmax backward", y, gradOut);
        sameShape("softmax backward", y, gradIn);
        if (useJava(Kernel.SOFTMAX_BACKWARD, y, gradOut, gradIn)) {
            INDArray target = writable(gradIn);
            VectorSoftmax.backward(contiguous(y), contiguous(gradOut), target);
            finish(gradIn, target);
        } else {
            Nd4jKernels.softmaxBackward(y, gradOut, gradIn);
        }
    }

    /**
     * Layer norm over the last axis: {@code out = (x - μ)/√(σ² + eps) · weight + bias} (biased variance;
     * weight and bias of the last axis' length, each nullable). Saves μ and {@code rstd = 1/√(σ² + eps)} per
     * row into {@code mean} and {@code rstd} (nullable; any shape with one element per row) for the backward.
     */
    public static void layerNormLastAxis(INDArray x, INDArray weight, INDArray bias, double eps, INDArray out,
                                         INDArray mean, INDArray rstd) {
        sameShape("layerNorm", x, out);
        long rows = rows(x);
        perRow("layerNorm", mean, rows);
        perRow("layerNorm", rstd, rows);
        affine("layerNorm", x, weight);
        affine("layerNorm", x, bias);
        if (useJava(Kernel.LAYER_NORM, x, weight, bias, out, mean, rstd)) {
            INDArray target = writable(out);
            INDArray m = mean == null ? null : writable(mean);
            INDArray r = rstd == null ? null : writable(rstd);
            VectorLayerNorm.forward(contiguous(x), weight == null ? null : contiguous(weight),
                    bias == null ? null : contiguous(bias), eps, target, m, r);
            finish(out, target);
            finish(mean, m);
            finish(rstd, r);
        } else {
            Nd4jKernels.layerNorm(x, weight, bias, eps, out, mean, rstd);
        }
    }

    /**
     * Backward of {@link #layerNormLastAxis}: with {@code x̂ = (x - μ)·rstd} and {@code g = gradOut · weight},
     * {@code gradIn = rstd · (g - mean(g) - x̂ · mean(g · x̂))}; {@code gradWeight = Σ_rows gradOut · x̂},
     * {@code gradBias = Σ_rows gradOut} (both nullable; overwritten, not accumulated).
     */
    public static void layerNormLastAxisBackward(INDArray x, INDArray gradOut, INDArray weight, INDArray mean,
                                                 INDArray rstd, INDArray gradIn, INDArray gradWeight,
                                                 INDArray gradBias) {
        sameShape("layerNorm backward", x, gradOut);
        sameShape("layerNorm backward", x, gradIn);
        long rows = rows(x);
        perRow("layerNorm backward", mean, rows);
        perRow("layerNorm backward", rstd, rows);
        affine("layerNorm backward", x, weight);
        affine("layerNorm backward", x, gradWeight);
        affine("layerNorm backward", x, gradBias);
        if (useJava(Kernel.LAYER_NORM_BACKWARD, x, gradOut, weight, mean, rstd, gradIn, gradWeight, gradBias)) {
            INDArray target = writable(gradIn);
            INDArray gw = gradWeight == null ? null : writable(gradWeight);
            INDArray gb = gradBias == null ? null : writable(gradBias);
            VectorLayerNorm.backward(contiguous(x), contiguous(gradOut), weight == null ? null : contiguous(weight),
                    contiguous(mean), contiguous(rstd), target, gw, gb);
            finish(gradIn, target);
            finish(gradWeight, gw);
            finish(gradBias, gb);
        } else {
            Nd4jKernels.layerNormBackward(x, gradOut, weight, mean, rstd, gradIn, gradWeight, gradBias);
        }
    }

    /**
     * Fused scaled-dot-product attention, {@code out = softmax(q·kᵀ/√D + mask) · v}, without building the
     * (Tq×Tk) scores on the Java path. q (B,H,Tq,D), k (B,H,Tk,D), v (B,H,Tk,Dv), out (B,H,Tq,Dv);
     * {@code paddingMask} (B,Tk), nullable, nonzero = the key takes part. Writes the per-row log-sum-exp of
     * the scaled, masked scores to {@code lse} (B,H,Tq) for {@link #attentionBackward}. A query row that sees
     * no key gets zeros and lse = -inf.
     */
    public static void attentionForward(INDArray q, INDArray k, INDArray v, AttentionCausality causality,
                                        INDArray paddingMask, INDArray out, INDArray lse) {
        checkAttention(q, k, v, paddingMask);
        expect("attention", "out", out, q.size(0), q.size(1), q.size(2), v.size(3));
        expect("attention", "lse", lse, q.size(0), q.size(1), q.size(2));
        boolean causal = causality == AttentionCausality.CAUSAL;
        if (useJava(Kernel.ATTENTION, q, k, v, out, lse)) {
            INDArray o = headOutput(out);
            INDArray l = writable(lse);
            VectorAttention.forward(headInput(q), headInput(k), headInput(v), causal, paddingMask, o, l);
            finish(out, o);
            finish(lse, l);
        } else {
            Nd4jKernels.attentionForward(q, k, v, causal, paddingMask, out, lse);
        }
    }

    /**
     * Backward of {@link #attentionForward} given its {@code out} and {@code lse}: fills gradQ, gradK, gradV
     * (shapes of q, k, v; overwritten, not accumulated).
     */
    public static void attentionBackward(INDArray q, INDArray k, INDArray v, INDArray out, INDArray gradOut,
                                         INDArray lse, AttentionCausality causality, INDArray paddingMask,
                                         INDArray gradQ, INDArray gradK, INDArray gradV) {
        checkAttention(q, k, v, paddingMask);
        expect("attention backward", "out", out, q.size(0), q.size(1), q.size(2), v.size(3));
        expect("attention backward", "gradOut", gradOut, q.size(0), q.size(1), q.size(2), v.size(3));
        expect("attention backward", "lse", lse, q.size(0), q.size(1), q.size(2));
        expect("attention backward", "gradQ", gradQ, q.shape());
        expect("attention backward", "gradK", gradK, k.shape());
        expect("attention backward", "gradV", gradV, v.shape());
        boolean causal = causality == AttentionCausality.CAUSAL;
        if (useJava(Kernel.ATTENTION, q, k, v, out, gradOut, lse, gradQ, gradK, gradV)) {
            INDArray dq = headOutput(gradQ);
            INDArray dk = headOutput(gradK);
            INDArray dv = headOutput(gradV);
            VectorAttention.backward(headInput(q), headInput(k), headInput(v), headInput(out),
                    headInput(gradOut), contiguous(lse), causal, paddingMask, dq, dk, dv);
            finish(gradQ, dq);
            finish(gradK, dk);
            finish(gradV, dv);
        } else {
            Nd4jKernels.attentionBackward(q, k, v, out, gradOut, causal, paddingMask, gradQ, gradK, gradV);
        }
    }

    /**
     * Whether {@link #groupNorm} and {@link #groupNormBackward} can run on these arrays (float32, Java kernels
     * usable). There is no ND4J group norm to fall back on: callers compose the op from others otherwise.
     * Measured 2026-11-29 on the 2-core EPYC under load, U-Net benchmark shapes: the ND4J composition
     * (mean, sub, mul, mean, pow, broadcast mul and add, each allocating) against one Java pass.
     */
    public static boolean hasGroupNorm(INDArray... arrays) {
        return useJava(Kernel.GROUP_NORM, arrays);
    }

    /**
     * Group norm of x (N, C, spatial…): {@code z = x + shift[n, c]} (shift (N, C), nullable), normalized over
     * each sample's group of C/groups channels and all positions (biased variance), then {@code y = ẑ·weight[c] +
     * bias[c]} (each (C), nullable) and the activation. Saves μ and {@code 1/√(σ² + eps)} per (sample, group)
     * into {@code mean} and {@code rstd} ((N·groups) elements, nullable). Only when {@link #hasGroupNorm}.
     */
    public static void groupNorm(INDArray x, INDArray shift, int groups, INDArray weight, INDArray bias, double eps,
                                 NormActivation activation, INDArray out, INDArray mean, INDArray rstd) {
        checkGroupNorm("groupNorm", x, shift, groups, weight, bias, mean, rstd);
        sameShape("groupNorm", x, out);
        requireGroupNorm(x, shift, weight, bias, out, mean, rstd);
        INDArray target = writable(out);
        INDArray m = mean == null ? null : writable(mean);
        INDArray r = rstd == null ? null : writable(rstd);
        VectorGroupNorm.forward(contiguous(x), shift == null ? null : contiguous(shift), groups,
                weight == null ? null : contiguous(weight), bias == null ? null : contiguous(bias), eps,
                activation == NormActivation.SILU, target, m, r);
        finish(out, target);
        finish(mean, m);
        finish(rstd, r);
    }

    /**
     * Backward of {@link #groupNorm} from its saved {@code mean} and {@code rstd}: fills gradIn (x's shape) and
     * each of gradShift (N, C), gradWeight and gradBias (C) that is non-null; overwritten, not accumulated.
     */
    public static void groupNormBackward(INDArray x, INDArray shift, int groups, INDArray weight, INDArray bias,
                                         NormActivation activation, INDArray mean, INDArray rstd, INDArray gradOut,
                                         INDArray gradIn, INDArray gradShift, INDArray gradWeight,
                                         INDArray gradBias) {
        checkGroupNorm("groupNorm backward", x, shift, groups, weight, bias, mean, rstd);
        if (mean == null || rstd == null) {
            throw new IllegalArgumentException("groupNorm backward: needs the saved mean and rstd");
        }
        sameShape("groupNorm backward", x, gradOut);
        sameShape("groupNorm backward", x, gradIn);
        checkGroupNorm("groupNorm backward", x, gradShift, groups, gradWeight, gradBias, mean, rstd);
        requireGroupNorm(x, shift, weight, bias, mean, rstd, gradOut, gradIn, gradShift, gradWeight, gradBias);
        INDArray dx = writable(gradIn);
        INDArray ds = gradShift == null ? null : writable(gradShift);
        INDArray dw = gradWeight == null ? null : writable(gradWeight);
        INDArray db = gradBias == null ? null : writable(gradBias);
        VectorGroupNorm.backward(contiguous(x), shift == null ? null : contiguous(shift), groups,
                weight == null ? null : contiguous(weight), bias == null ? null : contiguous(bias),
                activation == NormActivation.SILU, contiguous(mean), contiguous(rstd), contiguous(gradOut), dx, ds,
                dw, db);
        finish(gradIn, dx);
        finish(gradShift, ds);
        finish(gradWeight, dw);
        finish(gradBias, db);
    }

    /** Whether {@link #upsampleNearest2d} and its backward can run on these arrays (float32, Java kernels usable). */
    public static boolean hasUpsampleNearest(INDArray... arrays) {
        return useJava(Kernel.UPSAMPLE_NEAREST, arrays);
    }

    /**
     * {@code out[n, c, i, j] = x[n, c, ⌊i/scale⌋, ⌊j/scale⌋]}: x (N, C, H, W), out (N, C, H·scale, W·scale).
     * Only when {@link #hasUpsampleNearest}.
     */
    public static void upsampleNearest2d(INDArray x, int scale, INDArray out) {
        checkUpsample("upsampleNearest2d", x, scale, out);
        INDArray target = writable(out);
        NearestUpsample.forward(contiguous(x), scale, target);
        finish(out, target);
    }

    /** Backward of {@link #upsampleNearest2d}: gradIn (N, C, H, W) gets the sum of each scale×scale block. */
    public static void upsampleNearest2dBackward(INDArray gradOut, int scale, INDArray gradIn) {
        checkUpsample("upsampleNearest2d backward", gradIn, scale, gradOut);
        INDArray target = writable(gradIn);
        NearestUpsample.backward(contiguous(gradOut), scale, target);
        finish(gradIn, target);
    }

    private static void checkUpsample(String op, INDArray small, int scale, INDArray large) {
        if (small.rank() != 4 || large.rank() != 4 || scale < 1 || large.size(0) != small.size(0)
                || large.size(1) != small.size(1) || large.size(2) != small.size(2) * scale
                || large.size(3) != small.size(3) * scale) {
            throw new IllegalArgumentException(op + ": " + Shape.format(small.shape()) + " upsampled by " + scale
                    + " is not " + Shape.format(large.shape()));
        }
        if (!hasUpsampleNearest(small, large)) {
            throw new IllegalStateException(op + ": the Java kernel cannot run here (needs float32 and the "
                    + "jdk.incubator.vector module on the CPU backend); check Kernels.hasUpsampleNearest first");
        }
    }

    /** Whether {@link #adamStep} can run on these arrays (float32, dense, Java kernels usable). */
    public static boolean hasAdamStep(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!HostFloats.isDense(a)) {
                return false;
            }
        }
        return useJava(Kernel.ADAM, arrays);
    }

    /**
     * One Adam step in place over {@code param}, its {@code grad} and moments {@code m}, {@code v} (all one
     * shape, dense): with {@code g = grad + couplingDecay·param}, {@code param ← param·paramScale},
     * {@code m ← β₁m + (1 − β₁)g}, {@code v ← β₂v + (1 − β₂)g²},
     * {@code param ← param − stepSize·m/(√v/bias2Sqrt + eps)}. Only when {@link #hasAdamStep}.
     */
    public static void adamStep(INDArray param, INDArray grad, INDArray m, INDArray v, double paramScale,
                                double couplingDecay, double beta1, double beta2, double stepSize, double bias2Sqrt,
                                double eps) {
        sameShape("adam", param, grad);
        sameShape("adam", param, m);
        sameShape("adam", param, v);
        if (!hasAdamStep(param, grad, m, v)) {
            throw new IllegalStateException("adam: the Java kernel cannot run here (needs dense float32 arrays and "
                    + "the jdk.incubator.vector module on the CPU backend); check Kernels.hasAdamStep first");
        }
        VectorAdam.update(param, grad, m, v, new VectorAdam.Step((float) paramScale, (float) couplingDecay,
                (float) beta1, (float) beta2, (float) stepSize, (float) bias2Sqrt, (float) eps));
    }

    /**
     * Whether {@link #geluTanh} and {@link #geluTanhBackward} can run on these arrays (float32, dense, Java
     * kernels usable). Measured 2026-11-29 in the baby GPT's step (768 × 512 activations): ND4J's six-op forward
     * and composed backward cost more than the MLP's matmuls; one Java pass each way.
     */
    public static boolean hasGelu(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!HostFloats.isDense(a)) {
                return false;
            }
        }
        return useJava(Kernel.GELU, arrays);
    }

    /** {@code out = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))}, one pass; {@code out} may be {@code x}. */
    public static void geluTanh(INDArray x, INDArray out) {
        sameShape("geluTanh", x, out);
        requireGelu(x, out);
        VectorGelu.forward(x, out);
    }

    /** {@code gradIn = gradOut · d/dx geluTanh(x)}, one pass; {@code gradIn} may be {@code gradOut}. */
    public static void geluTanhBackward(INDArray x, INDArray gradOut, INDArray gradIn) {
        sameShape("geluTanh backward", x, gradOut);
        sameShape("geluTanh backward", x, gradIn);
        requireGelu(x, gradOut, gradIn);
        VectorGelu.backward(x, gradOut, gradIn);
    }

    /**
     * Whether {@link #exp}, {@link #sigmoid}, {@link #tanh} and {@link #select}'s float operands can run on these
     * arrays: dense float32 with the Java kernels usable. Meant for large arrays (the ops' small-tensor loops are
     * cheaper below ~2^19 elements); measured in {@link VectorPointwise}.
     */
    public static boolean hasPointwise(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!HostFloats.isDense(a)) {
                return false;
            }
        }
        return useJava(Kernel.POINTWISE, arrays);
    }

    /** {@code out = e^x} elementwise (+inf above ln(Float.MAX_VALUE)); {@code out} may be {@code x}. */
    public static void exp(INDArray x, INDArray out) {
        pointwise("exp", VectorPointwise.Function.EXP, x, out);
    }

    /** {@code out = 1 / (1 + e^−x)} elementwise; {@code out} may be {@code x}. */
    public static void sigmoid(INDArray x, INDArray out) {
        pointwise("sigmoid", VectorPointwise.Function.SIGMOID, x, out);
    }

    /** {@code out = tanh x} elementwise; {@code out} may be {@code x}. */
    public static void tanh(INDArray x, INDArray out) {
        pointwise("tanh", VectorPointwise.Function.TANH, x, out);
    }

    /** {@code out = x > 0 ? x : slope·x} elementwise (leaky ReLU); {@code out} may be {@code x}. */
    public static void leakyRelu(INDArray x, double slope, INDArray out) {
        leaky("leakyRelu", x, slope, false, out);
    }

    /** {@code out = x > 0 ? 1 : slope} elementwise: leaky ReLU's derivative (ReLU's step at slope 0). */
    public static void leakyReluDerivative(INDArray x, double slope, INDArray out) {
        leaky("leakyRelu derivative", x, slope, true, out);
    }

    private static void leaky(String op, INDArray x, double slope, boolean derivative, INDArray out) {
        sameShape(op, x, out);
        if (!hasPointwise(x, out)) {
            throw new IllegalStateException(op + ": the Java kernel cannot take these arrays (see Kernels.hasPointwise)");
        }
        VectorPointwise.leaky(x, (float) slope, derivative, out);
    }

    /** Whether {@link #batchNormStandardize} and its backward can run on x (dense float32, Java kernels usable). */
    public static boolean hasBatchNorm(INDArray x) {
        return x.rank() >= 2 && HostFloats.isDense(x) && useJava(Kernel.BATCH_NORM, x)
                && x.length() <= Integer.MAX_VALUE && x.length() / x.size(1) <= Integer.MAX_VALUE;
    }

    /**
     * Batch norm's training-mode standardization of x (N, C, ...): per channel over every other axis,
     * {@code out = (x − mean)·rstd}, {@code rstd = 1/√(var + eps)} with the biased variance; mean, var and rstd
     * (C floats each) are written to the given arrays.
     */
    public static void batchNormStandardize(INDArray x, double eps, float[] mean, float[] var, float[] rstd,
            INDArray out) {
        sameShape("batchNorm", x, out);
        int c = (int) x.size(1);
        int n = (int) x.size(0);
        VectorBatchNorm.forward(x, n, c, (int) (x.length() / Math.max(1, (long) n * c)), eps, mean, var, rstd, out);
    }

    /** The backward of {@link #batchNormStandardize} from its output y: {@code dx = rstd·(g − mean g − y·mean(g·y))}. */
    public static void batchNormStandardizeBackward(INDArray y, INDArray g, float[] rstd, INDArray dx) {
        sameShape("batchNorm backward", y, g);
        sameShape("batchNorm backward", y, dx);
        int c = (int) y.size(1);
        int n = (int) y.size(0);
        VectorBatchNorm.backward(y, g, n, c, (int) (y.length() / Math.max(1, (long) n * c)), rstd, dx);
    }

    private static void pointwise(String op, VectorPointwise.Function f, INDArray x, INDArray out) {
        sameShape(op, x, out);
        if (!hasPointwise(x, out)) {
            throw new IllegalStateException(op + ": the Java kernel cannot take these arrays (see Kernels.hasPointwise)");
        }
        VectorPointwise.apply(f, x, out);
    }

    /**
     * {@code out = mask ? a : b} elementwise, all four of one shape: mask a dense BOOL array, the others
     * {@link #hasPointwise}. ND4J's {@code select} op took 165 ms for 4M elements (see {@link VectorPointwise}).
     */
    public static void select(INDArray mask, INDArray a, INDArray b, INDArray out) {
        if (!java.util.Arrays.equals(mask.shape(), out.shape()) || mask.dataType() != DataType.BOOL) {
            throw new IllegalArgumentException("select: mask " + Shape.format(mask.shape()) + " " + mask.dataType()
                    + " must be BOOL of the output's shape " + Shape.format(out.shape()));
        }
        sameShape("select", a, out);
        sameShape("select", b, out);
        if (!hasPointwise(a, b, out)) {
            throw new IllegalStateException("select: the Java kernel cannot take these arrays (see Kernels.hasPointwise)");
        }
        VectorPointwise.select(mask, a, b, out);
    }

    /** Whether {@link #norm} and {@link #scaleInPlace} can run on this array (dense float32, Java kernels usable). */
    public static boolean hasNorm(INDArray x) {
        return HostFloats.isDense(x) && useJava(Kernel.NORM, x);
    }

    /**
     * Σ|x| ({@code p} = 1), Σx² ({@code p} = 2, the squared L2 norm) or max|x| ({@code p} = ∞) over all elements,
     * one pass on the calling thread. Only when {@link #hasNorm}.
     */
    public static double norm(INDArray x, double p) {
        if (!hasNorm(x)) {
            throw new IllegalStateException("norm: the Java kernel cannot run here (needs a dense float32 array and "
                    + "the jdk.incubator.vector module on the CPU backend); check Kernels.hasNorm first");
        }
        if (p != 1 && p != 2 && p != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("norm: p must be 1, 2 or infinity, got " + p);
        }
        return VectorNorms.norm(x, p);
    }

    /**
     * x ← c in every element, in Java for a dense float32 array (a gradient cleared before each backward:
     * measured in the baby GPT's step with two ND4J threads, ND4J's {@code assign(0)} on its 50 gradients took
     * 40% of the step's wall time, each native call waiting on OpenMP threads that the Java kernels' thread
     * competes with), else ND4J's assign.
     */
    public static void fill(INDArray x, double c) {
        if (hasNorm(x)) {
            VectorNorms.fill(x, (float) c);
        } else {
            x.assign(c);
        }
    }

    /** x ← x · c in place, one pass. Only when {@link #hasNorm}. */
    public static void scaleInPlace(INDArray x, double c) {
        if (!hasNorm(x)) {
            throw new IllegalStateException("scale: the Java kernel cannot run here (needs a dense float32 array "
                    + "and the jdk.incubator.vector module on the CPU backend); check Kernels.hasNorm first");
        }
        VectorNorms.scale(x, (float) c);
    }

    private static void requireGelu(INDArray... arrays) {
        if (!hasGelu(arrays)) {
            throw new IllegalStateException("geluTanh: the Java kernel cannot run here (needs dense float32 arrays "
                    + "and the jdk.incubator.vector module on the CPU backend); check Kernels.hasGelu first");
        }
    }

    private static void requireGroupNorm(INDArray... arrays) {
        if (!hasGroupNorm(arrays)) {
            throw new IllegalStateException("groupNorm: the Java kernel cannot run here (needs float32 and the "
                    + "jdk.incubator.vector module on the CPU backend); check Kernels.hasGroupNorm first");
        }
    }

    private static void checkGroupNorm(String op, INDArray x, INDArray shift, int groups, INDArray weight,
                                       INDArray bias, INDArray mean, INDArray rstd) {
        if (x.rank() < 2 || groups <= 0 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException(op + ": input " + Shape.format(x.shape()) + " must be (N, C, ...) "
                    + "with C divisible by groups " + groups);
        }
        long n = x.size(0);
        long c = x.size(1);
        if (shift != null && (shift.rank() != 2 || shift.size(0) != n || shift.size(1) != c)) {
            throw new IllegalArgumentException(op + ": shift " + Shape.format(shift.shape()) + " must be ("
                    + n + ", " + c + ")");
        }
        for (INDArray p : new INDArray[] {weight, bias}) {
            if (p != null && p.length() != c) {
                throw new IllegalArgumentException(op + ": weight/bias " + Shape.format(p.shape()) + " must have "
                        + c + " elements");
            }
        }
        for (INDArray s : new INDArray[] {mean, rstd}) {
            if (s != null && s.length() != n * groups) {
                throw new IllegalArgumentException(op + ": mean/rstd need " + n * groups
                        + " elements (one per sample and group) but have " + s.length());
            }
        }
    }

    /** True when {@code x} is laid out c-order without gaps (flat index = buffer offset), as the Java kernels need. */
    public static boolean isDense(INDArray x) {
        return HostFloats.isDense(x);
    }

    /**
     * True when {@code x} is {@link #isDense dense} and the whole of its buffer from offset 0, so its elements are
     * exactly the buffer's, in order (what loops that copy a buffer in and out in one run need).
     */
    public static boolean isWholeBuffer(INDArray x) {
        return x.offset() == 0 && x.data().length() == x.length() && isDense(x);
    }

    /**
     * A c-ordered dense array with the same values: the array itself when it already is one, otherwise a
     * copy owned by the current {@link Arena} (a transposed weight in every Linear forward and backward would
     * otherwise leave one untracked copy per call to the garbage collector: the soak test's growth).
     */
    public static INDArray contiguous(INDArray x) {
        // Not ordering() alone: ND4J reports a permuted array as 'c'-ordered and not a view.
        return HostFloats.isDense(x) ? x : arenaCopy(x);
    }

    /** A dense c-ordered copy of x owned by the current {@link Arena}. */
    private static INDArray arenaCopy(INDArray x) {
        INDArray copy = Arena.allocate(x.dataType(), x.shape());
        copy.assign(x);
        return Arena.track(copy);
    }

    /** An attention input as the kernel reads it: in place when its rows are contiguous (heads split by a permute are). */
    private static INDArray headInput(INDArray x) {
        return HeadRows.usable(x) ? x : contiguous(x);
    }

    /** An attention output as the kernel writes it: in place when its rows are contiguous, else a copy for {@link #finish}. */
    private static INDArray headOutput(INDArray x) {
        return HeadRows.writable(x) ? x : writable(x);
    }

    private static INDArray writable(INDArray out) {
        return HostFloats.isDense(out) ? out : out.ulike().assign(0);
    }

    private static void finish(INDArray out, INDArray target) {
        if (out != null && target != out) {
            out.assign(target);
        }
    }

    private static void checkAttention(INDArray q, INDArray k, INDArray v, INDArray mask) {
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
            throw new IllegalArgumentException("attention: q, k, v must be (B,H,T,D) but got "
                    + Shape.format(q.shape()) + ", " + Shape.format(k.shape()) + ", " + Shape.format(v.shape()));
        }
        if (k.size(0) != q.size(0) || k.size(1) != q.size(1) || k.size(3) != q.size(3)) {
            throw new IllegalArgumentException("attention: q " + Shape.format(q.shape()) + " and k "
                    + Shape.format(k.shape()) + " differ in batch, heads or head size");
        }
        if (v.size(0) != k.size(0) || v.size(1) != k.size(1) || v.size(2) != k.size(2)) {
            throw new IllegalArgumentException("attention: k " + Shape.format(k.shape()) + " and v "
                    + Shape.format(v.shape()) + " differ in batch, heads or length");
        }
        if (mask != null && (mask.rank() != 2 || mask.size(0) != q.size(0) || mask.size(1) != k.size(2))) {
            throw new IllegalArgumentException("attention: padding mask " + Shape.format(mask.shape())
                    + " must be (B,Tk) = " + Shape.format(new long[] {q.size(0), k.size(2)}));
        }
    }

    private static void expect(String op, String name, INDArray a, long... shape) {
        if (a == null || !java.util.Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + Shape.format(shape) + " but is "
                    + (a == null ? "null" : Shape.format(a.shape())));
        }
    }

    private static void sameShape(String op, INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " differ");
        }
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(op + ": dtypes " + a.dataType() + " and " + b.dataType() + " differ");
        }
    }

    private static long rows(INDArray x) {
        long n = x.size(x.rank() - 1);
        return n == 0 ? 0 : x.length() / n;
    }

    /**
     * Whether {@link #conv2d} and {@link #conv2dBackward} run this geometry on oneDNN's primitives called directly
     * (float32, ND4J's CPU backend, bytedeco's oneDNN binding present, oneDNN builds the shape); otherwise callers
     * use ND4J's {@code conv2d}/{@code conv2d_bp}. Measured 2026-11-29 on the 2-core AVX2 EPYC under load (load
     * average 5–7), one process, calls interleaved, (16,64,32,32) 64→64 3×3 with bias, forward / forward+backward:
     * one OpenMP thread, CPU ms best (median) 15 (20) / 52.5 (60) against ND4J's 17.5 (22.5) / 65 (72.5); two threads,
     * wall ms median 69.5 / 202 against ND4J's 84 / 267 and PyTorch 1.13's 85 / 218 run right after. Where ND4J's
     * time goes: {@link OneDnnConvolution}.
     */
    public static boolean hasConv2d(ConvGeometry g, INDArray x) {
        return oneDnnConvolution && OneDnnConvolution.supports(g, x.dataType());
    }

    /**
     * Routes convolutions to ND4J's ops when false (default true): for A/B measurements and for tests that
     * compare the two paths. Not for applications.
     */
    public static void setOneDnnConvolution(boolean enabled) {
        oneDnnConvolution = enabled;
    }

    private static volatile boolean oneDnnConvolution = true;

    /**
     * {@code out = conv2d(x, weight) + bias} in NCHW, weight (O, C/groups, kh, kw), bias (O) or null as
     * {@code g.bias()} says. Only when {@link #hasConv2d}.
     */
    public static void conv2d(ConvGeometry g, INDArray x, INDArray weight, INDArray bias, INDArray out) {
        INDArray target = fromStart(out);
        OneDnnConvolution.forward(g, atStart(x), atStart(weight), bias == null ? null : atStart(bias), target);
        finish(out, target);
    }

    /**
     * Gradients of {@link #conv2d} for {@code gradOut}: each of gradX (x's shape), gradWeight and gradBias that is
     * non-null is overwritten. Only when {@link #hasConv2d}.
     */
    public static void conv2dBackward(ConvGeometry g, INDArray x, INDArray weight, INDArray gradOut, INDArray gradX,
                                      INDArray gradWeight, INDArray gradBias) {
        INDArray dx = gradX == null ? null : fromStart(gradX);
        INDArray dw = gradWeight == null ? null : fromStart(gradWeight);
        INDArray db = gradBias == null ? null : fromStart(gradBias);
        OneDnnConvolution.backward(g, atStart(x), atStart(weight), atStart(gradOut), dx, dw, db);
        finish(gradX, dx);
        finish(gradWeight, dw);
        finish(gradBias, db);
    }

    /**
     * The transposed convolution of {@code x} with {@code weight} into {@code out}, without bias: the input gradient
     * of the convolution {@code g} for an output gradient {@code x}. {@code g} describes that convolution, so its
     * input has {@code out}'s shape (N, C_out, H', W') and its output {@code x}'s (N, C_in, H, W); weight
     * (C_in, C_out/groups, kh, kw) is the convolution's (O, C/groups, kh, kw). Only when {@link #hasConv2d}.
     */
    public static void convTranspose2d(ConvGeometry g, INDArray x, INDArray weight, INDArray out) {
        INDArray target = fromStart(out);
        OneDnnConvolution.backward(g, null, atStart(weight), atStart(x), target, null, null);
        finish(out, target);
    }

    /**
     * Gradients of {@link #convTranspose2d} for {@code gradOut} (out's shape): gradX is the convolution {@code g}
     * of gradOut, gradWeight that convolution's weight gradient with gradOut as its input and x as its output
     * gradient. Either may be null. Only when {@link #hasConv2d}.
     */
    public static void convTranspose2dBackward(ConvGeometry g, INDArray x, INDArray weight, INDArray gradOut,
                                               INDArray gradX, INDArray gradWeight) {
        if (gradX != null) {
            conv2d(g, gradOut, weight, null, gradX);
        }
        if (gradWeight != null) {
            conv2dBackward(g, gradOut, weight, x, null, gradWeight, null);
        }
    }

    /** {@code x} when it is dense from its buffer's start (what a native pointer to the buffer reads), else a copy. */
    private static INDArray atStart(INDArray x) {
        return x.offset() == 0 && isDense(x) ? x : arenaCopy(x);
    }

    /** An output as a native kernel writes it: in place when dense from its buffer's start, else a copy for {@link #finish}. */
    private static INDArray fromStart(INDArray out) {
        return out.offset() == 0 && isDense(out) ? out : out.ulike();
    }

    private static void perRow(String op, INDArray stats, long rows) {
        if (stats != null && stats.length() != rows) {
            throw new IllegalArgumentException(op + ": mean/rstd need " + rows + " elements (one per row) but have "
                    + stats.length());
        }
    }

    private static void affine(String op, INDArray x, INDArray w) {
        if (w != null && w.length() != x.size(x.rank() - 1)) {
            throw new IllegalArgumentException(op + ": weight/bias " + Shape.format(w.shape())
                    + " must match the last axis " + x.size(x.rank() - 1) + " of " + Shape.format(x.shape()));
        }
    }

    static String shapes(INDArray a, INDArray b) {
        return Shape.format(a.shape()) + " x " + Shape.format(b.shape());
    }
}
