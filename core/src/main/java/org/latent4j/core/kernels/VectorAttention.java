package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fused scaled-dot-product attention in Java, tiled as in FlashAttention-2 (Dao, 2023): the (Tq×Tk) score
 * matrix is never built. Forward walks key blocks per query block with an online softmax and saves the
 * per-row log-sum-exp {@code lse_i = log Σ_j exp(s_ij)}, {@code s = q·kᵀ/√D}. Backward recomputes
 * {@code P = exp(s - lse)} per tile and, with {@code Δ_i = Σ_d dO_id · O_id}, accumulates
 * {@code dV += Pᵀ·dO}, {@code dS = P ∘ (dO·Vᵀ - Δ)}, {@code dQ += dS·K/√D}, {@code dK += dSᵀ·Q/√D}.
 * Causal masking lets query i see keys j ≤ i (PyTorch's {@code is_causal}); tiles above the diagonal are
 * skipped. A padding mask (B, Tk) marks attended keys with a nonzero value. A query row that sees no key
 * gets output 0, lse = -inf and zero gradients. Heads are split over the kernel threads. Heads with at most
 * {@link #DENSE_MAX_SCORES} scores go to {@link DenseAttention} instead (whole score block in scratch).
 */
final class VectorAttention {
    static final int BR = 64;
    static final int BC = 64;
    private static final long PARALLEL_WORK = 1L << 18;
    /**
     * Heads with at most this many scores (Tq·Tk) take {@link DenseAttention} (two score-sized scratch blocks
     * per thread, 1 MB each at the limit). Single-thread CPU time per causal fwd+bwd, dense vs tiled, measured
     * in one process on the loaded 2-vCPU AVX2 box: (8,8,128,64) 20 vs 29 ms, (2,8,256,64) 24 vs 29 ms,
     * (1,8,512,64) 41 vs 57 ms.
     */
    static final long DENSE_MAX_SCORES = 512L * 512;

    private static final int S_RAW = 16;
    private static final int S_Q = 17;
    private static final int S_K = 18;
    private static final int S_KT = 19;
    private static final int S_V = 20;
    private static final int S_S = 21;
    private static final int S_O = 22;
    private static final int S_STATS = 23;
    private static final int S_OUT = 24;
    private static final int S_DO = 25;
    private static final int S_DQ = 26;
    private static final int S_DK = 27;
    private static final int S_DV = 28;
    private static final int S_DP = 30;
    private static final int S_OUT2 = 31;

    private VectorAttention() {
    }

    static int pad(int x) {
        return (x + L - 1) / L * L;
    }

    /** Shapes as read from q (B,H,Tq,D), k (B,H,Tk,D), v (B,H,Tk,Dv). */
    record Dims(int b, int h, int tq, int tk, int d, int dv, int dp, int dvp, int tkp, float scale) {
        static Dims of(INDArray q, INDArray k, INDArray v) {
            int d = (int) q.size(3);
            int tk = (int) k.size(2);
            int dv = (int) v.size(3);
            return new Dims((int) q.size(0), (int) q.size(1), (int) q.size(2), tk, d, dv, pad(d), pad(dv), pad(tk),
                    (float) (1.0 / Math.sqrt(d)));
        }
    }

    /** Whether a head's whole score block goes through {@link DenseAttention} rather than the tiled loop. */
    static boolean dense(Dims z) {
        return (long) z.tq * z.tk <= DENSE_MAX_SCORES;
    }

    static void forward(INDArray q, INDArray k, INDArray v, boolean causal, INDArray mask, INDArray out,
                        INDArray lse) {
        forward(q, k, v, causal, mask, out, lse, dense(Dims.of(q, k, v)));
    }

    /** {@link #forward} with the path chosen by the caller (tests run both). */
    static void forward(INDArray q, INDArray k, INDArray v, boolean causal, INDArray mask, INDArray out,
                        INDArray lse, boolean dense) {
        Dims z = Dims.of(q, k, v);
        float[][] bias = bias(mask, z);
        HeadRows hq = HeadRows.of(q);
        HeadRows hk = HeadRows.of(k);
        HeadRows hv = HeadRows.of(v);
        HeadRows ho = HeadRows.of(out);
        HostFloats hl = HostFloats.of(lse);
        if (dense) {
            // without a padding mask the dense path masks padding columns itself and skips the bias
            eachHead(z, bh -> DenseAttention.forwardHead(bh, z, causal, mask == null ? null : bias[bh / z.h],
                    hq, hk, hv, ho, hl));
        } else {
            eachHead(z, bh -> forwardHead(bh, z, causal, bias[bias.length == 1 ? 0 : bh / z.h],
                    hq, hk, hv, ho, hl));
        }
        // the host buffers do not keep their arrays alive: a collected array would free the memory under them
        fence(q, k, v, out, lse);
    }

    static void backward(INDArray q, INDArray k, INDArray v, INDArray out, INDArray gradOut, INDArray lse,
                         boolean causal, INDArray mask, INDArray gradQ, INDArray gradK, INDArray gradV) {
        backward(q, k, v, out, gradOut, lse, causal, mask, gradQ, gradK, gradV, dense(Dims.of(q, k, v)));
    }

    /** {@link #backward} with the path chosen by the caller (tests run both). */
    static void backward(INDArray q, INDArray k, INDArray v, INDArray out, INDArray gradOut, INDArray lse,
                         boolean causal, INDArray mask, INDArray gradQ, INDArray gradK, INDArray gradV,
                         boolean dense) {
        Dims z = Dims.of(q, k, v);
        float[][] bias = bias(mask, z);
        HeadRows hq = HeadRows.of(q);
        HeadRows hk = HeadRows.of(k);
        HeadRows hv = HeadRows.of(v);
        HeadRows ho = HeadRows.of(out);
        HeadRows hg = HeadRows.of(gradOut);
        HostFloats hl = HostFloats.of(lse);
        HeadRows hdq = HeadRows.of(gradQ);
        HeadRows hdk = HeadRows.of(gradK);
        HeadRows hdv = HeadRows.of(gradV);
        if (dense) {
            eachHead(z, bh -> DenseAttention.backwardHead(bh, z, causal, mask == null ? null : bias[bh / z.h],
                    hq, hk, hv, ho, hg, hl, hdq, hdk, hdv));
        } else {
            eachHead(z, bh -> backwardHead(bh, z, causal,
                    bias[bias.length == 1 ? 0 : bh / z.h], hq, hk, hv, ho, hg, hl, hdq, hdk, hdv));
        }
        fence(q, k, v, out, gradOut, lse, gradQ, gradK, gradV);
    }

    /** Keeps each array reachable up to here (the JIT may otherwise drop a reference after its last use). */
    private static void fence(INDArray... arrays) {
        for (INDArray a : arrays) {
            Reference.reachabilityFence(a);
        }
        Reference.reachabilityFence(arrays);
    }

    /** Runs body for every (batch, head) pair, over the kernel threads unless the problem is small. */
    private static void eachHead(Dims z, java.util.function.IntConsumer body) {
        int heads = z.b * z.h;
        long work = (long) heads * z.tq * z.tk * (z.d + z.dv);
        if (work < PARALLEL_WORK) {
            for (int bh = 0; bh < heads; bh++) {
                body.accept(bh);
            }
        } else {
            Parallel.forEach(heads, body);
        }
    }

    /** Additive key bias per batch item: 0 for an attended key, -inf for a masked or padding column. */
    private static float[][] bias(INDArray mask, Dims z) {
        int rows = mask == null ? 1 : z.b;
        float[][] bias = new float[rows][z.tkp];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < z.tkp; j++) {
                boolean keep = j < z.tk && (mask == null || mask.getDouble(b, j) != 0);
                bias[b][j] = keep ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return bias;
    }

    /** Reads head bh's (t × d) block, scaled, into a row-major (t × dp) buffer with zero padding. */
    private static void loadRows(HeadRows h, int bh, int t, int d, int dp, int rowsPadded, float scale,
                                 float[] raw, float[] dst) {
        h.get(bh, raw, 0);
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < d; c++) {
                dst[i * dp + c] = raw[i * d + c] * scale;
            }
            Arrays.fill(dst, i * dp + d, i * dp + dp, 0f);
        }
        Arrays.fill(dst, t * dp, rowsPadded * dp, 0f);
    }

    /** The transpose of a (t × d) row block as (dp × tp), zero padded. */
    private static void loadTransposed(float[] rows, int t, int d, int dp, int tp, float[] dst) {
        Arrays.fill(dst, 0, dp * tp, 0f);
        for (int j = 0; j < t; j++) {
            for (int c = 0; c < d; c++) {
                dst[c * tp + j] = rows[j * dp + c];
            }
        }
    }

    private static void forwardHead(int bh, Dims z, boolean causal, float[] bias, HeadRows hq, HeadRows hk,
                                    HeadRows hv, HeadRows ho, HostFloats hl) {
        int tq = z.tq, tk = z.tk, dp = z.dp, dvp = z.dvp, tkp = z.tkp;
        float[] raw = Scratch.floats(S_RAW, Math.max(tq * z.d, tk * Math.max(z.d, z.dv)));
        float[] qs = Scratch.floats(S_Q, tq * dp);
        float[] kr = Scratch.floats(S_K, tkp * dp);
        float[] kt = Scratch.floats(S_KT, dp * tkp);
        float[] vv = Scratch.floats(S_V, tkp * dvp);
        loadRows(hq, bh, tq, z.d, dp, tq, z.scale, raw, qs);
        loadRows(hk, bh, tk, z.d, dp, tkp, 1f, raw, kr);
        loadTransposed(kr, tk, z.d, dp, tkp, kt);
        loadRows(hv, bh, tk, z.dv, dvp, tkp, 1f, raw, vv);
        float[] s = Scratch.floats(S_S, BR * BC);
        float[] o = Scratch.floats(S_O, BR * dvp);
        float[] stats = Scratch.floats(S_STATS, 2 * BR);
        float[] outRows = Scratch.floats(S_OUT, tq * z.dv);
        float[] lseRows = Scratch.floats(S_OUT2, tq);
        for (int i0 = 0; i0 < tq; i0 += BR) {
            int br = Math.min(BR, tq - i0);
            Arrays.fill(stats, 0, BR, Float.NEGATIVE_INFINITY);
            Arrays.fill(stats, BR, 2 * BR, 0f);
            Arrays.fill(o, 0, br * dvp, 0f);
            int jEnd = causal ? Math.min(tk, i0 + br) : tk;
            for (int j0 = 0; j0 < jEnd; j0 += BC) {
                int bcp = pad(Math.min(BC, jEnd - j0));
                // (br, bcp) = (br, dp) · (dp, bcp)
                BlockGemm.gemm(qs, i0 * dp, dp, kt, j0, tkp, s, 0, BC, br, bcp, dp, false);
                boolean diagonal = causal && j0 + bcp - 1 > i0;
                for (int r = 0; r < br; r++) {
                    int so = r * BC;
                    addBias(s, so, bias, j0, bcp);
                    if (diagonal) {
                        int first = Math.max(0, i0 + r - j0 + 1);
                        if (first < bcp) {
                            Arrays.fill(s, so + first, so + bcp, Float.NEGATIVE_INFINITY);
                        }
                    }
                    float mOld = stats[r];
                    float mNew = Math.max(mOld, rowMax(s, so, bcp));
                    if (mNew == Float.NEGATIVE_INFINITY) {
                        Arrays.fill(s, so, so + bcp, 0f);
                        continue;
                    }
                    float sum = expRow(s, so, bcp, mNew);
                    float alpha = (float) Math.exp(mOld - mNew);
                    stats[r] = mNew;
                    stats[BR + r] = stats[BR + r] * alpha + sum;
                    if (alpha != 1f) {
                        scaleRow(o, r * dvp, dvp, alpha);
                    }
                }
                // (br, dvp) += (br, bcp) · (bcp, dvp)
                BlockGemm.gemm(s, 0, BC, vv, j0 * dvp, dvp, o, 0, dvp, br, dvp, bcp, true);
            }
            for (int r = 0; r < br; r++) {
                float l = stats[BR + r];
                float inv = l > 0 ? 1f / l : 0f;
                int dst = (i0 + r) * z.dv;
                for (int c = 0; c < z.dv; c++) {
                    outRows[dst + c] = o[r * dvp + c] * inv;
                }
                lseRows[i0 + r] = l > 0 ? stats[r] + (float) Math.log(l) : Float.NEGATIVE_INFINITY;
            }
        }
        ho.put(bh, outRows, 0, z.dv);
        hl.put((long) bh * tq, lseRows, 0, tq);
    }

    private static void backwardHead(int bh, Dims z, boolean causal, float[] bias, HeadRows hq, HeadRows hk,
                                     HeadRows hv, HeadRows ho, HeadRows hg, HostFloats hl, HeadRows hdq,
                                     HeadRows hdk, HeadRows hdv) {
        int tq = z.tq, tk = z.tk, d = z.d, dv = z.dv, dp = z.dp, dvp = z.dvp, tkp = z.tkp;
        float[] raw = Scratch.floats(S_RAW, Math.max(tq * Math.max(d, dv), tk * Math.max(d, dv)));
        float[] qs = Scratch.floats(S_Q, tq * dp);
        float[] kr = Scratch.floats(S_K, tkp * dp);
        float[] kt = Scratch.floats(S_KT, dp * tkp);
        float[] vt = Scratch.floats(S_V, dvp * tkp);
        float[] dO = Scratch.floats(S_DO, tq * dvp);
        float[] stats = Scratch.floats(S_STATS, 2 * tq);
        loadRows(hq, bh, tq, d, dp, tq, z.scale, raw, qs);
        loadRows(hk, bh, tk, d, dp, tkp, 1f, raw, kr);
        loadTransposed(kr, tk, d, dp, tkp, kt);
        // V is only needed transposed: load it into dO's buffer first, then transpose into vt
        loadRows(hv, bh, tk, dv, dvp, tk, 1f, raw, Scratch.floats(S_DQ, Math.max(tk * dvp, tq * dp)));
        loadTransposed(Scratch.floats(S_DQ, 0), tk, dv, dvp, tkp, vt);
        loadRows(hg, bh, tq, dv, dvp, tq, 1f, raw, dO);
        // Δ_i = Σ_d dO_id · O_id, in stats[tq ..]; lse in stats[0 .. tq)
        ho.get(bh, raw, 0);
        for (int i = 0; i < tq; i++) {
            float acc = 0f;
            for (int c = 0; c < dv; c++) {
                acc += dO[i * dvp + c] * raw[i * dv + c];
            }
            stats[tq + i] = acc;
        }
        hl.get((long) bh * tq, stats, 0, tq);
        float[] dq = Scratch.floats(S_DQ, tq * dp);
        Arrays.fill(dq, 0, tq * dp, 0f);
        float[] dk = Scratch.floats(S_DK, BC * dp);
        float[] dvb = Scratch.floats(S_DV, BC * dvp);
        float[] p = Scratch.floats(S_S, BR * BC);
        float[] dpm = Scratch.floats(S_DP, BR * BC);
        float[] dkOut = Scratch.floats(S_OUT, tk * d);
        float[] dvOut = Scratch.floats(S_OUT2, tk * dv);
        for (int j0 = 0; j0 < tk; j0 += BC) {
            int bc = Math.min(BC, tk - j0);
            int bcp = pad(bc);
            Arrays.fill(dk, 0, bcp * dp, 0f);
            Arrays.fill(dvb, 0, bcp * dvp, 0f);
            int iStart = causal ? j0 / BR * BR : 0;
            for (int i0 = iStart; i0 < tq; i0 += BR) {
                int br = Math.min(BR, tq - i0);
                // (br, bcp) = (br, dp) · (dp, bcp)
                BlockGemm.gemm(qs, i0 * dp, dp, kt, j0, tkp, p, 0, BC, br, bcp, dp, false);
                boolean diagonal = causal && j0 + bcp - 1 > i0;
                for (int r = 0; r < br; r++) {
                    int so = r * BC;
                    float l = stats[i0 + r];
                    if (l == Float.NEGATIVE_INFINITY) {
                        Arrays.fill(p, so, so + bcp, 0f);
                        continue;
                    }
                    addBias(p, so, bias, j0, bcp);
                    if (diagonal) {
                        int first = Math.max(0, i0 + r - j0 + 1);
                        if (first < bcp) {
                            Arrays.fill(p, so + first, so + bcp, Float.NEGATIVE_INFINITY);
                        }
                    }
                    expRow(p, so, bcp, l);
                }
                // dV += Pᵀ·dO: (bcp, dvp) += (bcp, br) · (br, dvp)
                BlockGemm.gemmTransposedA(p, 0, BC, dO, i0 * dvp, dvp, dvb, 0, dvp, bcp, dvp, br, true);
                // dP = dO·Vᵀ: (br, bcp) = (br, dvp) · (dvp, bcp)
                BlockGemm.gemm(dO, i0 * dvp, dvp, vt, j0, tkp, dpm, 0, BC, br, bcp, dvp, false);
                for (int r = 0; r < br; r++) {
                    dsRow(p, dpm, r * BC, bcp, stats[tq + i0 + r]);
                }
                // dQ += dS·K: (br, dp) += (br, bcp) · (bcp, dp)
                BlockGemm.gemm(p, 0, BC, kr, j0 * dp, dp, dq, i0 * dp, dp, br, dp, bcp, true);
                // dK += dSᵀ·(Q/√D): (bcp, dp) += (bcp, br) · (br, dp)
                BlockGemm.gemmTransposedA(p, 0, BC, qs, i0 * dp, dp, dk, 0, dp, bcp, dp, br, true);
            }
            for (int r = 0; r < bc; r++) {
                System.arraycopy(dk, r * dp, dkOut, (j0 + r) * d, d);
                System.arraycopy(dvb, r * dvp, dvOut, (j0 + r) * dv, dv);
            }
        }
        float[] dqOut = raw;
        for (int i = 0; i < tq; i++) {
            for (int c = 0; c < d; c++) {
                dqOut[i * d + c] = dq[i * dp + c] * z.scale;
            }
        }
        hdq.put(bh, dqOut, 0, d);
        hdk.put(bh, dkOut, 0, d);
        hdv.put(bh, dvOut, 0, dv);
    }

    private static void addBias(float[] s, int so, float[] bias, int j0, int n) {
        for (int c = 0; c < n; c += L) {
            FloatVector.fromArray(S, s, so + c).add(FloatVector.fromArray(S, bias, j0 + c)).intoArray(s, so + c);
        }
    }

    private static float rowMax(float[] s, int so, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < n; c += L) {
            m = m.max(FloatVector.fromArray(S, s, so + c));
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /** s[so, so + n) becomes exp(s - shift); returns the sum. */
    private static float expRow(float[] s, int so, int n, float shift) {
        FloatVector acc = FloatVector.zero(S);
        for (int c = 0; c < n; c += L) {
            FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, s, so + c).sub(shift));
            e.intoArray(s, so + c);
            acc = acc.add(e);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static void scaleRow(float[] o, int off, int n, float a) {
        for (int c = 0; c < n; c += L) {
            FloatVector.fromArray(S, o, off + c).mul(a).intoArray(o, off + c);
        }
    }

    /** p[so, so + n) becomes p · (dp - delta). */
    private static void dsRow(float[] p, float[] dp, int so, int n, float delta) {
        for (int c = 0; c < n; c += L) {
            FloatVector pv = FloatVector.fromArray(S, p, so + c);
            pv.mul(FloatVector.fromArray(S, dp, so + c).sub(delta)).intoArray(p, so + c);
        }
    }
}
