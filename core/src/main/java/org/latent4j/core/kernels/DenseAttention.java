package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.BlockGemm.FULL;
import static org.latent4j.core.kernels.BlockGemm.K_FROM_ROW;
import static org.latent4j.core.kernels.BlockGemm.K_TO_ROW;
import static org.latent4j.core.kernels.BlockGemm.SKIP_ABOVE;
import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * One attention head with its whole (Tq×Tk) score block in a per-thread scratch, for short sequences where
 * that block stays in L2: {@code S = Q·Kᵀ/√D}, row softmax, {@code O = P·V}; backward
 * {@code dP = dO·Vᵀ}, {@code dV = Pᵀ·dO}, {@code dS = P ∘ (dP − Δ)}, {@code dQ = dS·K/√D}, {@code dK = dSᵀ·Q/√D}.
 * Every product packs its operands once and runs on the register tiles of {@link SgemmTiles}; causal
 * attention skips score tiles above the diagonal and the zero half of the triangular operands. Same
 * results and conventions as the tiled {@link VectorAttention} path (which it is chosen over by size).
 */
final class DenseAttention {
    private static final int S_Q = 16;
    private static final int S_K = 17;
    private static final int S_V = 18;
    private static final int S_G = 19;
    private static final int S_PA = 20;
    private static final int S_PB = 21;
    private static final int S_P = 22;
    private static final int S_DP = 23;
    private static final int S_C = 24;
    private static final int S_STATS = 26;

    private DenseAttention() {
    }

    /** Columns of row i a causal or plain score row can use, rounded up to whole vectors. */
    private static int width(int i, int tk, boolean causal) {
        return VectorAttention.pad(causal ? Math.min(tk, i + 1) : tk);
    }

    /**
     * Scores S = (Q/√D)·Kᵀ into s (row stride lds), then per row, with {@code bias} the padding mask's key bias
     * (null without one): with {@code computeLse} the unnormalized {@code exp(s − max)}, the lse into
     * {@code stats[i]} and the reciprocal of the row sum into {@code stats[tq + i]} (the caller scales P·V by it);
     * else {@code P = exp(s − lse)} with the lse read from {@code stats[i]}. Entries past a row's width are zero.
     */
    private static void probabilities(float[] qs, float[] k, VectorAttention.Dims z, boolean causal, float[] bias,
                                      float[] s, int lds, float[] stats, boolean computeLse) {
        int tq = z.tq(), tk = z.tk(), d = z.d();
        float[] pb = Scratch.floats(S_PB, BlockGemm.packedBSize(d, tk));
        BlockGemm.packBColumns(k, 0, d, d, tk, pb);
        BlockGemm.gemmRowsA(qs, 0, d, pb, tq, tk, d, s, lds, causal ? SKIP_ABOVE : FULL);
        for (int i = 0; i < tq; i++) {
            int so = i * lds;
            int w = width(i, tk, causal);
            int valid = causal ? Math.min(tk, i + 1) : tk;
            maskRow(s, so, w, valid, bias);
            float lse;
            if (computeLse) {
                lse = expShiftedRow(s, so, w, stats, tq + i);
                stats[i] = lse;
            } else {
                lse = stats[i];
                if (lse != Float.NEGATIVE_INFINITY) {
                    expRow(s, so, w, lse);
                }
            }
            Arrays.fill(s, so + (lse == Float.NEGATIVE_INFINITY ? 0 : w), so + lds, 0f);
        }
    }

    /*
     * The row loops live in methods of their own: inlined into probabilities, the vector exp pushed C2 past
     * its node-count cutoff, was called out of line and boxed every vector it passed (a JFR profile full of
     * FloatVector.lanewiseTemplate).
     */

    /**
     * Row s[so, so + w) becomes exp(s − max); returns the row's lse and writes 1/Σ exp(s − max) to
     * {@code inv[invAt]} (-inf and 0 when every column is masked, the row then left for the caller to zero).
     */
    static float expShiftedRow(float[] s, int so, int w, float[] inv, int invAt) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < w; c += L) {
            m = m.max(FloatVector.fromArray(S, s, so + c));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        if (max == Float.NEGATIVE_INFINITY) {
            inv[invAt] = 0f;
            return max;
        }
        FloatVector acc = FloatVector.zero(S);
        FloatVector maxV = FloatVector.broadcast(S, max);
        for (int c = 0; c < w; c += L) {
            FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, s, so + c).sub(maxV));
            e.intoArray(s, so + c);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        inv[invAt] = 1f / sum;
        return max + (float) Math.log(sum);
    }

    /** Row s[so, so + w) becomes exp(s − lse). */
    static void expRow(float[] s, int so, int w, float lse) {
        FloatVector shiftV = FloatVector.broadcast(S, lse);
        for (int c = 0; c < w; c += L) {
            VectorMath.expNonPositive(FloatVector.fromArray(S, s, so + c).sub(shiftV)).intoArray(s, so + c);
        }
    }

    /** Adds the key bias (if any) to s[so, so + w) and sets columns [valid, w) to -inf. */
    private static void maskRow(float[] s, int so, int w, int valid, float[] bias) {
        if (bias != null) {
            for (int c = 0; c < w; c += L) {
                FloatVector.fromArray(S, s, so + c).add(FloatVector.fromArray(S, bias, c)).intoArray(s, so + c);
            }
        }
        if (valid < w) {
            Arrays.fill(s, so + valid, so + w, Float.NEGATIVE_INFINITY);
        }
    }

    /** Rows to allocate for an m-row product: the packed tiles and {@link BlockGemm#gemmRowsA} round m up. */
    private static int rows(int m) {
        return Math.max(BlockGemm.roundRows(m), (m + BlockGemm.RA - 1) / BlockGemm.RA * BlockGemm.RA);
    }

    /** Multiplies t rows of n columns of c (row stride ldc) by scale. */
    private static void scaleRows(float[] c, int ldc, int t, int n, float scale) {
        FloatVector f = FloatVector.broadcast(S, scale);
        for (int i = 0; i < t; i++) {
            for (int col = 0; col < n; col += L) {
                FloatVector.fromArray(S, c, i * ldc + col).mul(f).intoArray(c, i * ldc + col);
            }
        }
    }

    /** Multiplies row i of c (t rows of n columns, stride ldc) by scale[i]. */
    private static void scaleRows(float[] c, int ldc, int t, int n, float[] scale, int scaleOff) {
        for (int i = 0; i < t; i++) {
            FloatVector f = FloatVector.broadcast(S, scale[scaleOff + i]);
            for (int col = 0; col < n; col += L) {
                FloatVector.fromArray(S, c, i * ldc + col).mul(f).intoArray(c, i * ldc + col);
            }
        }
    }

    /** Reads head bh's rows (t × cols) into a scratch array, times scale. */
    private static float[] load(HeadRows h, int bh, int t, int cols, float scale, int slot) {
        float[] dst = Scratch.floats(slot, t * cols);
        h.get(bh, dst, 0);
        if (scale != 1f) {
            int n = t * cols;
            int i = 0;
            FloatVector scaleV = FloatVector.broadcast(S, scale);
            for (; i + L <= n; i += L) {
                FloatVector.fromArray(S, dst, i).mul(scaleV).intoArray(dst, i);
            }
            for (; i < n; i++) {
                dst[i] *= scale;
            }
        }
        return dst;
    }

    /** Writes head bh's rows from c (row stride ldc). */
    private static void store(float[] c, int ldc, HeadRows h, int bh) {
        h.put(bh, c, 0, ldc);
    }

    static void forwardHead(int bh, VectorAttention.Dims z, boolean causal, float[] bias, HeadRows hq,
                            HeadRows hk, HeadRows hv, HeadRows ho, HostFloats hl) {
        int tq = z.tq(), tk = z.tk(), d = z.d(), dv = z.dv();
        int lds = BlockGemm.roundCols(tk);
        float[] qs = load(hq, bh, tq, d, z.scale(), S_Q);
        float[] k = load(hk, bh, tk, d, 1f, S_K);
        float[] v = load(hv, bh, tk, dv, 1f, S_V);
        float[] p = Scratch.floats(S_P, rows(tq) * lds);
        // lse in [0, tq), 1 / row sum in [tq, 2tq)
        float[] stats = Scratch.floats(S_STATS, 2 * tq);
        probabilities(qs, k, z, causal, bias, p, lds, stats, true);
        hl.put((long) bh * tq, stats, 0, tq);
        // O = P·V: (tq × dv) over the keys; causal rows stop at their own key
        float[] pb = Scratch.floats(S_PB, BlockGemm.packedBSize(tk, dv));
        BlockGemm.packBRows(v, 0, dv, tk, dv, pb);
        int ldo = BlockGemm.roundCols(dv);
        float[] o = Scratch.floats(S_C, rows(tq) * ldo);
        BlockGemm.gemmRowsA(p, 0, lds, pb, tq, dv, tk, o, ldo, causal ? K_TO_ROW : FULL);
        scaleRows(o, ldo, tq, dv, stats, tq);
        store(o, ldo, ho, bh);
    }

    static void backwardHead(int bh, VectorAttention.Dims z, boolean causal, float[] bias, HeadRows hq,
                             HeadRows hk, HeadRows hv, HeadRows ho, HeadRows hg, HostFloats hl,
                             HeadRows hdq, HeadRows hdk, HeadRows hdv) {
        int tq = z.tq(), tk = z.tk(), d = z.d(), dv = z.dv();
        int lds = BlockGemm.roundCols(tk);
        float[] qs = load(hq, bh, tq, d, z.scale(), S_Q);
        float[] k = load(hk, bh, tk, d, 1f, S_K);
        float[] v = load(hv, bh, tk, dv, 1f, S_V);
        float[] g = load(hg, bh, tq, dv, 1f, S_G);
        // stats: lse in [0, tq), Δ_i = Σ_c dO_ic·O_ic in [tq, 2tq); O is read through the output scratch
        float[] stats = Scratch.floats(S_STATS, 2 * tq + tq * dv);
        hl.get((long) bh * tq, stats, 0, tq);
        ho.get(bh, stats, 2 * tq);
        for (int i = 0; i < tq; i++) {
            int o = i * dv;
            int c = 0;
            FloatVector acc = FloatVector.zero(S);
            for (; c + L <= dv; c += L) {
                acc = FloatVector.fromArray(S, g, o + c).fma(FloatVector.fromArray(S, stats, 2 * tq + o + c), acc);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; c < dv; c++) {
                sum += g[o + c] * stats[2 * tq + o + c];
            }
            stats[tq + i] = sum;
        }
        float[] lse = stats;
        float[] p = Scratch.floats(S_P, rows(tq) * lds);
        probabilities(qs, k, z, causal, bias, p, lds, lse, false);
        // dP = dO·Vᵀ (tq × tk) over the value columns
        float[] pa = Scratch.floats(S_PA, BlockGemm.packedASize(tk, tq));
        float[] pb = Scratch.floats(S_PB, Math.max(Math.max(BlockGemm.packedBSize(dv, tk),
                BlockGemm.packedBSize(tq, Math.max(d, dv))), BlockGemm.packedBSize(tk, d)));
        float[] dp = Scratch.floats(S_DP, rows(tq) * lds);
        BlockGemm.packBColumns(v, 0, dv, dv, tk, pb);
        BlockGemm.gemmRowsA(g, 0, dv, pb, tq, tk, dv, dp, lds, causal ? SKIP_ABOVE : FULL);
        // dV = Pᵀ·dO (tk × dv) over the queries; causal key j only meets queries i ≥ j
        int ldc = BlockGemm.roundCols(Math.max(d, dv));
        float[] c = Scratch.floats(S_C, rows(Math.max(tq, tk)) * ldc);
        BlockGemm.packAColumns(p, 0, lds, tk, tq, causal, pa);
        BlockGemm.packBRows(g, 0, dv, tq, dv, pb);
        BlockGemm.gemmPacked(pa, pb, tk, dv, tq, c, ldc, causal ? K_FROM_ROW : FULL);
        store(c, ldc, hdv, bh);
        // dS = P ∘ (dP − Δ), in place of P (entries past a row's width stay zero)
        for (int i = 0; i < tq; i++) {
            int so = i * lds;
            int w = width(i, tk, causal);
            // a broadcast hoisted out of the loop: C2 (JDK 17) does not intrinsify sub(float) here
            FloatVector delta = FloatVector.broadcast(S, lse[tq + i]);
            for (int col = 0; col < w; col += L) {
                FloatVector pv = FloatVector.fromArray(S, p, so + col);
                pv.mul(FloatVector.fromArray(S, dp, so + col).sub(delta)).intoArray(p, so + col);
            }
        }
        // dK = dSᵀ·(Q/√D) (tk × d)
        BlockGemm.packAColumns(p, 0, lds, tk, tq, causal, pa);
        BlockGemm.packBRows(qs, 0, d, tq, d, pb);
        BlockGemm.gemmPacked(pa, pb, tk, d, tq, c, ldc, causal ? K_FROM_ROW : FULL);
        store(c, ldc, hdk, bh);
        // dQ = (dS·K)/√D (tq × d) over the keys
        BlockGemm.packBRows(k, 0, d, tk, d, pb);
        BlockGemm.gemmRowsA(p, 0, lds, pb, tq, d, tk, c, ldc, causal ? K_TO_ROW : FULL);
        scaleRows(c, ldc, tq, d, z.scale());
        store(c, ldc, hdq, bh);
    }
}
