package org.latent4j.core.ops;

import java.util.Arrays;
import java.util.List;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.AttentionCausality;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention (Vaswani et al. 2017): {@code softmax(q kᵀ · scale + M) v}, where the mask
 * {@code M} is 0 for allowed and −∞ for masked (query, key) pairs. Composed from {@link LinearAlgebra#matmul}
 * and {@link Softmax#softmax}, so its gradients (of any order) follow from theirs. Float32 attention with the
 * standard scale and no dropout runs the fused kernel of {@link Kernels} instead, which never builds the
 * (Tq × Tk) weights.
 *
 * <p>A query whose every key is masked (a padded query row under a padding mask, say) would give 0/0 = NaN in
 * the softmax and poison the gradients of the whole batch. Such a row instead gets all-zero attention weights:
 * its output is the zero vector and no gradient flows through it.
 */
public final class Attention {
    private Attention() {
    }

    /** Which (query, key) pairs the structure of the sequence rules out. */
    public enum Mask {
        /** Every query sees every key. */
        NONE,
        /**
         * Query i sees keys up to its own position, the queries being the last Tq of the Tk positions (aligned
         * bottom-right, so with a key-value cache of earlier positions a single new query sees them all):
         * key j is masked when {@code j > i + Tk − Tq}.
         */
        CAUSAL
    }

    /** Unmasked attention with scale 1/√D. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v) {
        return scaledDotProduct(q, k, v, Mask.NONE, null);
    }

    /** Attention with scale 1/√D, where D is the last size of {@code q}. */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Mask mask, Tensor paddingMask) {
        return scaledDotProduct(q, k, v, mask, paddingMask, 1.0 / Math.sqrt(q.size(-1)));
    }

    /**
     * {@code q} (B, H, Tq, D), {@code k} (B, H, Tk, D), {@code v} (B, H, Tk, Dv) → (B, H, Tq, Dv).
     * {@code paddingMask} (B, Tk), nullable, is nonzero (or true) for real keys and 0 for padding.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Mask mask, Tensor paddingMask,
            double scale) {
        return scaledDotProduct(q, k, v, mask, paddingMask, scale, 0, null);
    }

    /**
     * Attention whose weights go through training-mode dropout with probability {@code dropout}, the mask
     * drawn from {@code rng} (as PyTorch's {@code dropout_p}); with {@code dropout} 0 nothing is drawn and
     * {@code rng} may be null. Pass 0 at evaluation time.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Mask mask, Tensor paddingMask,
            double scale, double dropout, Rng rng) {
        check(q, k, v, paddingMask);
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("scaledDotProduct: scale must be finite, got " + scale);
        }
        if (dropout != 0 && rng == null) {
            throw new IllegalArgumentException("scaledDotProduct: dropout " + dropout + " needs an Rng");
        }
        if (fusable(q, k, mask, scale, dropout)) {
            return fused(q, k, v, mask, paddingMask);
        }
        Tensor weights = weights(q, k, mask, paddingMask, scale);
        if (dropout != 0) {
            weights = Random.dropout(weights, dropout, rng);
        }
        return LinearAlgebra.matmul(weights, v); // (B, H, Tq, Dv)
    }

    /**
     * (B, T, H·D) → (B, H, T, D): the channels of each position split into H heads of D, heads first. Float32
     * takes one copy loop ({@link HeadLayout}); its backward is {@link #mergeHeads}, so it differentiates to
     * any order.
     */
    public static Tensor splitHeads(Tensor x, int heads) {
        if (x.rank() != 3 || heads <= 0 || x.size(2) % heads != 0) {
            throw new IllegalArgumentException("splitHeads: input " + Shape.format(x.shape()) + " must be (B, T, E) "
                    + "with E divisible by heads " + heads);
        }
        long b = x.size(0);
        long t = x.size(1);
        long d = x.size(2) / heads;
        if (!HeadLayout.applies(x.value())) {
            return Shapes.permute(Shapes.reshape(x, b, t, heads, d), 0, 2, 1, 3);
        }
        INDArray out = Arena.allocate(DataType.FLOAT, b, heads, t, d);
        HeadLayout.split(x.value(), heads, new INDArray[] {out});
        return Graph.record("splitHeads", out, g -> new Tensor[] {mergeHeads(g)}, x);
    }

    /** (B, H, T, D) → (B, T, H·D), the inverse of {@link #splitHeads} (and its backward). */
    public static Tensor mergeHeads(Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("mergeHeads: input " + Shape.format(x.shape()) + " must be (B, H, T, D)");
        }
        long b = x.size(0);
        int heads = (int) x.size(1);
        long t = x.size(2);
        long d = x.size(3);
        if (!HeadLayout.applies(x.value())) {
            return Shapes.reshape(Shapes.contiguous(Shapes.permute(x, 0, 2, 1, 3)), b, t, heads * d);
        }
        INDArray out = Arena.allocate(DataType.FLOAT, b, t, heads * d);
        HeadLayout.merge(new INDArray[] {x.value()}, heads, out);
        return Graph.record("mergeHeads", out, g -> new Tensor[] {splitHeads(g, heads)}, x);
    }

    /**
     * A packed projection (B, T, 3·H·D) = [q | k | v] on its last axis → q, k and v, each (B, H, T, D): the same
     * as {@link Shapes#chunk} into three and {@link #splitHeads} of each, in one copy for float32. Each part's
     * backward writes its gradient into its third of a (B, T, 3·H·D) gradient.
     */
    public static List<Tensor> splitPackedHeads(Tensor qkv, int heads) {
        if (qkv.rank() != 3 || heads <= 0 || qkv.size(2) % (3L * heads) != 0) {
            throw new IllegalArgumentException("splitPackedHeads: qkv " + Shape.format(qkv.shape()) + " must be "
                    + "(B, T, 3·E) with E divisible by heads " + heads);
        }
        if (!HeadLayout.applies(qkv.value())) {
            List<Tensor> parts = Shapes.chunk(qkv, 3, 2);
            return List.of(splitHeads(parts.get(0), heads), splitHeads(parts.get(1), heads),
                    splitHeads(parts.get(2), heads));
        }
        long b = qkv.size(0);
        long t = qkv.size(1);
        long d = qkv.size(2) / (3L * heads);
        INDArray[] parts = new INDArray[3];
        for (int p = 0; p < 3; p++) {
            parts[p] = Arena.allocate(DataType.FLOAT, b, heads, t, d);
        }
        HeadLayout.split(qkv.value(), heads, parts);
        Tensor[] out = new Tensor[3];
        for (int p = 0; p < 3; p++) {
            int part = p;
            out[p] = Graph.record("splitPackedHeads", parts[p], g -> new Tensor[] {packedGradient(g, part, heads, qkv)},
                    qkv);
        }
        return List.of(out);
    }

    /** The gradient of a packed projection from the gradient {@code g} (B, H, T, D) of its part {@code part}. */
    private static Tensor packedGradient(Tensor g, int part, int heads, Tensor qkv) {
        if (GradMode.isEnabled() || !HeadLayout.applies(g.value())) {
            Tensor merged = mergeHeads(g);                                         // (B, T, E)
            Tensor zero = Tensor.zeros(merged.dtype(), merged.shape());
            return Shapes.concat(2, part == 0 ? merged : zero, part == 1 ? merged : zero, part == 2 ? merged : zero);
        }
        INDArray grad = Arena.allocate(DataType.FLOAT, qkv.shape());
        INDArray[] parts = new INDArray[3];
        parts[part] = g.value();
        HeadLayout.merge(parts, heads, grad);
        return Graph.constant(grad);
    }

    /**
     * Multi-head self-attention on a packed projection: {@code qkv} (B, T, 3·H·D) holds [q | k | v] side by side
     * on its last axis (a fused QKV linear layer's output); returns the attended values with heads merged,
     * (B, T, H·D), scale 1/√D. {@code paddingMask} (B, T), nullable. The same as splitting, calling
     * {@link #scaledDotProduct} and {@link #mergeHeads}; float32 runs it as one op around the fused kernel, with
     * the head layout moved by one copy each way and one gradient (B, T, 3·H·D) written by the backward.
     */
    public static Tensor packedSelfAttention(Tensor qkv, int heads, Mask mask, Tensor paddingMask) {
        if (qkv.rank() != 3 || heads <= 0 || qkv.size(2) % (3L * heads) != 0) {
            throw new IllegalArgumentException("packedSelfAttention: qkv " + Shape.format(qkv.shape()) + " must be "
                    + "(B, T, 3·E) with E divisible by heads " + heads);
        }
        long b = qkv.size(0);
        long t = qkv.size(1);
        long d = qkv.size(2) / (3L * heads);
        if (!HeadLayout.applies(qkv.value())) {   // not float32, or not one dense buffer: the composed ops
            List<Tensor> parts = splitPackedHeads(qkv, heads);
            return mergeHeads(scaledDotProduct(parts.get(0), parts.get(1), parts.get(2), mask, paddingMask));
        }
        checkPadding("packedSelfAttention", paddingMask, b, t);
        INDArray q = Arena.allocate(DataType.FLOAT, b, heads, t, d);
        INDArray k = Arena.allocate(DataType.FLOAT, b, heads, t, d);
        INDArray v = Arena.allocate(DataType.FLOAT, b, heads, t, d);
        HeadLayout.split(qkv.value(), heads, new INDArray[] {q, k, v});
        AttentionCausality causality = mask == Mask.CAUSAL ? AttentionCausality.CAUSAL : AttentionCausality.NON_CAUSAL;
        INDArray keys = paddingMask == null ? null : paddingMask.value();
        INDArray heads4 = Arena.track(Arena.allocate(DataType.FLOAT, b, heads, t, d)); // (B, H, T, D), for backward
        INDArray lse = Arena.track(Arena.allocate(DataType.FLOAT, b, heads, t));         // (B, H, T)
        Kernels.attentionForward(q, k, v, causality, keys, heads4, lse);
        INDArray out = Arena.allocate(DataType.FLOAT, b, t, heads * d);
        HeadLayout.merge(new INDArray[] {heads4}, heads, out);
        Arena.track(q);
        Arena.track(k);
        Arena.track(v);
        return Graph.record("packedSelfAttention", out, g -> {
            if (GradMode.isEnabled() || !HeadLayout.applies(g.value())) {
                List<Tensor> parts = Shapes.chunk(qkv, 3, 2);
                Tensor[] grads = recordedGradients(splitHeads(parts.get(0), heads), splitHeads(parts.get(1), heads),
                        splitHeads(parts.get(2), heads), mask, paddingMask, splitHeads(g, heads));
                return new Tensor[] {Shapes.concat(2, mergeHeads(grads[0]), mergeHeads(grads[1]),
                        mergeHeads(grads[2])), null};
            }
            INDArray gh = Arena.allocate(DataType.FLOAT, b, heads, t, d);
            HeadLayout.split(g.value(), heads, new INDArray[] {gh});
            INDArray dq = Arena.allocate(DataType.FLOAT, b, heads, t, d);
            INDArray dk = Arena.allocate(DataType.FLOAT, b, heads, t, d);
            INDArray dv = Arena.allocate(DataType.FLOAT, b, heads, t, d);
            Kernels.attentionBackward(q, k, v, heads4, gh, lse, causality, keys, dq, dk, dv);
            INDArray dqkv = Arena.allocate(DataType.FLOAT, qkv.shape());
            HeadLayout.merge(new INDArray[] {dq, dk, dv}, heads, dqkv);
            for (INDArray used : new INDArray[] {gh, dq, dk, dv}) {
                Arena.release(used);
            }
            return new Tensor[] {Graph.constant(dqkv), null};
        }, qkv, paddingMask);
    }

    private static void checkPadding(String op, Tensor paddingMask, long batch, long keys) {
        if (paddingMask != null && (paddingMask.rank() != 2 || paddingMask.size(0) != batch
                || paddingMask.size(1) != keys)) {
            throw new IllegalArgumentException(op + ": paddingMask has shape " + Shape.format(paddingMask.shape())
                    + " but needs (" + batch + "," + keys + ")");
        }
    }

    /**
     * The fused kernel applies to float32 with the standard scale 1/√D and no dropout. Its causal mask is
     * aligned top-left (key j ≤ query i) and ours bottom-right (j ≤ i + Tk − Tq): the two agree when Tq = Tk.
     */
    private static boolean fusable(Tensor q, Tensor k, Mask mask, double scale, double dropout) {
        double standard = 1.0 / Math.sqrt(q.size(3));
        return q.dtype() == DType.FLOAT32 && dropout == 0 && Math.abs(scale - standard) <= 1e-12 * standard
                && (mask == Mask.NONE || q.size(2) == k.size(2));
    }

    /**
     * Attention through {@link Kernels#attentionForward}: the (Tq × Tk) weights are never materialized. Its
     * first-order backward is the fused kernel too; a backward that records a graph (second-order gradients)
     * recomputes the weights with Tensor ops and writes the gradients with them.
     */
    private static Tensor fused(Tensor q, Tensor k, Tensor v, Mask mask, Tensor paddingMask) {
        AttentionCausality causality = mask == Mask.CAUSAL ? AttentionCausality.CAUSAL : AttentionCausality.NON_CAUSAL;
        INDArray keys = paddingMask == null ? null : paddingMask.value();
        long b = q.size(0);
        long h = q.size(1);
        long tq = q.size(2);
        INDArray out = Arena.allocate(DataType.FLOAT, b, h, tq, v.size(3)); // (B, H, Tq, Dv)
        // kept for the backward pass: freed with the step's arena
        INDArray lse = Arena.track(Arena.allocate(DataType.FLOAT, b, h, tq)); // (B, H, Tq)
        Kernels.attentionForward(q.value(), k.value(), v.value(), causality, keys, out, lse);
        return Graph.record("scaledDotProduct", out, g -> {
            if (GradMode.isEnabled()) {
                return recordedGradients(q, k, v, mask, paddingMask, g);
            }
            INDArray dq = Arena.allocate(DataType.FLOAT, q.shape());
            INDArray dk = Arena.allocate(DataType.FLOAT, k.shape());
            INDArray dv = Arena.allocate(DataType.FLOAT, v.shape());
            Kernels.attentionBackward(q.value(), k.value(), v.value(), out, g.value(), lse, causality, keys, dq, dk, dv);
            return new Tensor[] {
                q.requiresGrad() ? Graph.constant(dq) : release(dq),
                k.requiresGrad() ? Graph.constant(dk) : release(dk),
                v.requiresGrad() ? Graph.constant(dv) : release(dv),
                null
            };
        }, q, k, v, paddingMask);
    }

    /**
     * With P the attention weights and s the scale: dV = Pᵀ g, dS = P ⊙ (g vᵀ − rowsum(g vᵀ ⊙ P)),
     * dQ = s · dS k, dK = s · dSᵀ q — written with Tensor ops, so they can be differentiated again.
     */
    private static Tensor[] recordedGradients(Tensor q, Tensor k, Tensor v, Mask mask, Tensor paddingMask, Tensor g) {
        double scale = 1.0 / Math.sqrt(q.size(3));
        Tensor p = weights(q, k, mask, paddingMask, scale); // (B, H, Tq, Tk)
        Tensor dp = LinearAlgebra.matmul(g, Shapes.transpose(v, -1, -2)); // (B, H, Tq, Tk)
        Tensor ds = p.mul(dp.sub(Reductions.sum(dp.mul(p), new int[] {-1}, true))).mul(scale); // (B, H, Tq, Tk)
        return new Tensor[] {
            q.requiresGrad() ? LinearAlgebra.matmul(ds, k) : null, // (B, H, Tq, D)
            k.requiresGrad() ? LinearAlgebra.matmul(Shapes.transpose(ds, -1, -2), q) : null, // (B, H, Tk, D)
            v.requiresGrad() ? LinearAlgebra.matmul(Shapes.transpose(p, -1, -2), g) : null, // (B, H, Tk, Dv)
            null
        };
    }

    private static Tensor release(INDArray unused) {
        Arena.release(unused);
        return null;
    }

    /** softmax(q kᵀ · scale + M) with fully masked rows set to zero: (B, H, Tq, Tk). */
    private static Tensor weights(Tensor q, Tensor k, Mask mask, Tensor paddingMask, double scale) {
        long b = q.size(0);
        int tq = (int) q.size(2);
        int tk = (int) k.size(2);
        Tensor scores = LinearAlgebra.matmul(q, Shapes.transpose(k, -1, -2)).mul(scale); // (B, H, Tq, Tk)

        double[] keep = paddingMask == null ? null : paddingMask.toDoubleArray();
        int maskBatch = keep == null ? 1 : (int) b;
        double[] additive = new double[maskBatch * tq * tk];
        double[] liveRows = new double[maskBatch * tq];
        boolean anyMasked = false;
        boolean anyDeadRow = false;
        for (int n = 0; n < maskBatch; n++) {
            for (int i = 0; i < tq; i++) {
                int row = (n * tq + i) * tk;
                int allowed = 0;
                for (int j = 0; j < tk; j++) {
                    boolean masked = (mask == Mask.CAUSAL && j > i + tk - tq)
                            || (keep != null && keep[n * tk + j] == 0);
                    additive[row + j] = masked ? Double.NEGATIVE_INFINITY : 0;
                    anyMasked |= masked;
                    allowed += masked ? 0 : 1;
                }
                if (allowed == 0) {
                    // A fully masked row: a finite (uniform) softmax, zeroed below.
                    Arrays.fill(additive, row, row + tk, 0);
                    anyDeadRow = true;
                } else {
                    liveRows[n * tq + i] = 1;
                }
            }
        }
        if (anyMasked) {
            scores = scores.add(constant(q, additive, maskBatch, 1, tq, tk)); // (B|1, 1, Tq, Tk)
        }
        Tensor weights = Softmax.softmax(scores, -1);
        if (anyDeadRow) {
            weights = weights.mul(constant(q, liveRows, maskBatch, 1, tq, 1)); // (B|1, 1, Tq, 1)
        }
        return weights;
    }

    private static Tensor constant(Tensor like, double[] data, long... shape) {
        return Graph.constant(Nd4j.create(data, shape, like.value().dataType()));
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor paddingMask) {
        String shapes = "q " + Shape.format(q.shape()) + ", k " + Shape.format(k.shape()) + ", v "
                + Shape.format(v.shape());
        if (q.rank() != 4 || k.rank() != 4 || v.rank() != 4) {
            throw new IllegalArgumentException("scaledDotProduct: q, k and v must have shape (B, H, T, D), got "
                    + shapes);
        }
        if (q.size(0) != k.size(0) || q.size(0) != v.size(0) || q.size(1) != k.size(1) || q.size(1) != v.size(1)) {
            throw new IllegalArgumentException("scaledDotProduct: batch and head sizes differ: " + shapes);
        }
        if (q.size(3) != k.size(3)) {
            throw new IllegalArgumentException("scaledDotProduct: q and k head dimensions differ: " + shapes);
        }
        if (k.size(2) != v.size(2)) {
            throw new IllegalArgumentException("scaledDotProduct: k and v lengths differ: " + shapes);
        }
        if (q.dtype() != k.dtype() || q.dtype() != v.dtype()) {
            throw new IllegalArgumentException("scaledDotProduct: dtypes differ (q " + q.dtype() + ", k " + k.dtype()
                    + ", v " + v.dtype() + ")");
        }
        if (paddingMask != null && (paddingMask.rank() != 2 || paddingMask.size(0) != q.size(0)
                || paddingMask.size(1) != k.size(2))) {
            throw new IllegalArgumentException("scaledDotProduct: paddingMask has shape "
                    + Shape.format(paddingMask.shape()) + " but needs (" + q.size(0) + "," + k.size(2)
                    + ") for " + shapes);
        }
    }
}
