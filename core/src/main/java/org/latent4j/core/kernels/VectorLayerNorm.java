package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalization over the last axis in Java. Forward: {@code x̂ = (x - μ) · rstd}, {@code rstd =
 * 1/√(σ² + eps)} (biased variance, as PyTorch), {@code y = x̂ · w + b}; μ and rstd are saved per row.
 * Backward, with {@code g = dy · w}: {@code dx = rstd · (g - mean(g) - x̂ · mean(g · x̂))},
 * {@code dw = Σ_rows dy · x̂}, {@code db = Σ_rows dy}.
 */
final class VectorLayerNorm {
    private static final int CHUNK = 16384;
    private static final long PARALLEL_ELEMENTS = 1L << 15;
    private static final int SLOT_X = 8;
    private static final int SLOT_G = 9;
    private static final int SLOT_STATS = 10;
    private static final int SLOT_W = 11;

    private VectorLayerNorm() {
    }

    static void forward(INDArray x, INDArray weight, INDArray bias, double eps, INDArray out, INDArray mean,
                        INDArray rstd) {
        int n = (int) x.size(x.rank() - 1);
        int rows = n == 0 ? 0 : (int) (x.length() / n);
        float[] w = weight == null ? null : read(weight, n);
        float[] b = bias == null ? null : read(bias, n);
        HostFloats hx = HostFloats.of(x);
        HostFloats hy = HostFloats.of(out);
        HostFloats hm = mean == null ? null : HostFloats.of(mean);
        HostFloats hr = rstd == null ? null : HostFloats.of(rstd);
        float e = (float) eps;
        int per = Math.max(1, CHUNK / Math.max(1, n));
        run(rows, per, x.length(), (lo, hi) -> {
            float[] buf = Scratch.floats(SLOT_X, per * n);
            float[] stats = Scratch.floats(SLOT_STATS, 2 * per);
            for (int r0 = lo; r0 < hi; r0 += per) {
                int cnt = Math.min(per, hi - r0);
                hx.get((long) r0 * n, buf, 0, cnt * n);
                for (int r = 0; r < cnt; r++) {
                    normalizeRow(buf, r * n, n, e, w, b, stats, r, per);
                }
                hy.put((long) r0 * n, buf, 0, cnt * n);
                if (hm != null) {
                    hm.put(r0, stats, 0, cnt);
                }
                if (hr != null) {
                    hr.put(r0, stats, per, cnt);
                }
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(weight);
        Reference.reachabilityFence(bias);
        Reference.reachabilityFence(out);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(rstd);
    }

    /** Fills gradIn, and gradWeight / gradBias (each nullable) with the sums over rows. */
    static void backward(INDArray x, INDArray gradOut, INDArray weight, INDArray mean, INDArray rstd,
                         INDArray gradIn, INDArray gradWeight, INDArray gradBias) {
        int n = (int) x.size(x.rank() - 1);
        int rows = n == 0 ? 0 : (int) (x.length() / n);
        float[] w = weight == null ? null : read(weight, n);
        HostFloats hx = HostFloats.of(x);
        HostFloats hg = HostFloats.of(gradOut);
        HostFloats hd = HostFloats.of(gradIn);
        HostFloats hm = HostFloats.of(mean);
        HostFloats hr = HostFloats.of(rstd);
        int per = Math.max(1, CHUNK / Math.max(1, n));
        int parts = x.length() < PARALLEL_ELEMENTS ? 1 : Math.min(Parallel.THREADS, Math.max(1, rows));
        float[][] dw = new float[parts][];
        float[][] db = new float[parts][];
        java.util.function.IntConsumer share = p -> {
            int lo = (int) ((long) rows * p / parts);
            int hi = (int) ((long) rows * (p + 1) / parts);
            float[] xb = Scratch.floats(SLOT_X, per * n);
            float[] gb = Scratch.floats(SLOT_G, per * n);
            float[] st = Scratch.floats(SLOT_STATS, 2 * per);
            float[] sw = new float[n];
            float[] sb = new float[n];
            for (int r0 = lo; r0 < hi; r0 += per) {
                int cnt = Math.min(per, hi - r0);
                hx.get((long) r0 * n, xb, 0, cnt * n);
                hg.get((long) r0 * n, gb, 0, cnt * n);
                hm.get(r0, st, 0, cnt);
                hr.get(r0, st, per, cnt);
                for (int r = 0; r < cnt; r++) {
                    backwardRow(xb, gb, r * n, n, st[r], st[per + r], w, sw, sb);
                }
                hd.put((long) r0 * n, gb, 0, cnt * n);
            }
            dw[p] = sw;
            db[p] = sb;
        };
        runAndSumParameterGradients(parts, share, dw, db, n, gradWeight, gradBias);
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(gradOut);
        Reference.reachabilityFence(weight);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(rstd);
        Reference.reachabilityFence(gradIn);
        Reference.reachabilityFence(gradWeight);
        Reference.reachabilityFence(gradBias);
    }

    /**
     * The parallel part of a backward whose parameter gradients are sums over rows (shared with
     * {@link VectorGroupNorm}): runs {@code share} for each part in [0, parts), inline when there is one, each
     * filling its own {@code dw[p]} and {@code db[p]} (length {@code n}) so that no two parts write the same
     * memory; then writes the sums over the parts to gradWeight and gradBias, each nullable (the caller keeps
     * them reachable, with the other arrays its kernel reads through their buffers).
     */
    static void runAndSumParameterGradients(int parts, java.util.function.IntConsumer share, float[][] dw,
                                            float[][] db, int n, INDArray gradWeight, INDArray gradBias) {
        if (parts == 1) {
            share.accept(0);
        } else {
            Parallel.forEach(parts, share);
        }
        for (int p = 1; p < parts; p++) {
            for (int j = 0; j < n; j++) {
                dw[0][j] += dw[p][j];
                db[0][j] += db[p][j];
            }
        }
        if (gradWeight != null) {
            HostFloats.of(gradWeight).put(0, dw[0], 0, n);
        }
        if (gradBias != null) {
            HostFloats.of(gradBias).put(0, db[0], 0, n);
        }
    }

    private static float[] read(INDArray a, int n) {
        if (a.length() != n) {
            throw new IllegalArgumentException("layerNorm: weight/bias length " + a.length() + " but last axis " + n);
        }
        float[] r = new float[n];
        HostFloats.of(a).get(0, r, 0, n);
        return r;
    }

    private static void run(int rows, int per, long elements, Parallel.RangeBody body) {
        if (elements < PARALLEL_ELEMENTS) {
            body.run(0, rows);
        } else {
            Parallel.forShares(rows, per, body);
        }
    }

    private static void normalizeRow(float[] a, int off, int n, float eps, float[] w, float[] b, float[] stats,
                                     int r, int per) {
        int bound = S.loopBound(n);
        FloatVector sv = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            sv = sv.add(FloatVector.fromArray(S, a, off + i));
        }
        float sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[off + i];
        }
        float mu = sum / n;
        FloatVector qv = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, a, off + i).sub(mu);
            qv = d.fma(d, qv);
        }
        float sq = qv.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float d = a[off + i] - mu;
            sq += d * d;
        }
        float rs = (float) (1.0 / Math.sqrt(sq / n + eps));
        stats[r] = mu;
        stats[per + r] = rs;
        for (i = 0; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, a, off + i).sub(mu).mul(rs);
            if (w != null) {
                y = y.mul(FloatVector.fromArray(S, w, i));
            }
            if (b != null) {
                y = y.add(FloatVector.fromArray(S, b, i));
            }
            y.intoArray(a, off + i);
        }
        for (; i < n; i++) {
            float y = (a[off + i] - mu) * rs;
            if (w != null) {
                y *= w[i];
            }
            if (b != null) {
                y += b[i];
            }
            a[off + i] = y;
        }
    }

    /** g[off, off + n) (holding dy) becomes dx; dy·x̂ and dy are added into sw and sb. */
    private static void backwardRow(float[] x, float[] g, int off, int n, float mu, float rs, float[] w,
                                    float[] sw, float[] sb) {
        int bound = S.loopBound(n);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector dy = FloatVector.fromArray(S, g, off + i);
            FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(mu).mul(rs);
            FloatVector.fromArray(S, sw, i).add(dy.mul(xh)).intoArray(sw, i);
            FloatVector.fromArray(S, sb, i).add(dy).intoArray(sb, i);
            FloatVector gv = w == null ? dy : dy.mul(FloatVector.fromArray(S, w, i));
            s1 = s1.add(gv);
            s2 = gv.fma(xh, s2);
        }
        float sumG = s1.reduceLanes(VectorOperators.ADD);
        float sumGx = s2.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float dy = g[off + i];
            float xh = (x[off + i] - mu) * rs;
            sw[i] += dy * xh;
            sb[i] += dy;
            float gv = w == null ? dy : dy * w[i];
            sumG += gv;
            sumGx += gv * xh;
        }
        float mg = sumG / n;
        float mgx = sumGx / n;
        for (i = 0; i < bound; i += L) {
            FloatVector dy = FloatVector.fromArray(S, g, off + i);
            FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(mu).mul(rs);
            FloatVector gv = w == null ? dy : dy.mul(FloatVector.fromArray(S, w, i));
            gv.sub(mg).sub(xh.mul(mgx)).mul(rs).intoArray(g, off + i);
        }
        for (; i < n; i++) {
            float dy = g[off + i];
            float xh = (x[off + i] - mu) * rs;
            float gv = w == null ? dy : dy * w[i];
            g[off + i] = (gv - mg - xh * mgx) * rs;
        }
    }
}
