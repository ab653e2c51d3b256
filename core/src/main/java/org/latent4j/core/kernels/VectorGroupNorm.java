package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.VectorMath.L;
import static org.latent4j.core.kernels.VectorMath.S;

import java.lang.ref.Reference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Group normalization of (N, C, spatial…) in Java, one pass per (sample, group) slab, which is contiguous in
 * c-order: {@code z = x + shift[n, c]} (shift optional), {@code ẑ = (z − μ)·rstd} over the slab,
 * {@code y = ẑ·w[c] + b[c]}, then optionally {@code out = y·σ(y)} (SiLU). μ and rstd are saved per slab.
 * Backward, with {@code gy = dout·act'(y)} ({@code act' = σ(y)(1 + y(1 − σ(y)))} for SiLU) and
 * {@code g = gy·w[c]}: {@code dz = rstd·(g − mean(g) − ẑ·mean(g·ẑ))} over the slab, {@code dw[c] = Σ gy·ẑ},
 * {@code db[c] = Σ gy}, {@code dshift[n, c] = Σ_spatial dz}.
 */
final class VectorGroupNorm {
    private static final long PARALLEL_ELEMENTS = 1L << 15;
    private static final int SLOT_X = 12;
    private static final int SLOT_G = 13;

    private VectorGroupNorm() {
    }

    /** The sizes of one call: N, C, groups, spatial positions. */
    private record Dims(int n, int c, int groups, int spatial) {
        int perGroup() {
            return c / groups;
        }

        int slab() {
            return perGroup() * spatial;
        }

        int slabs() {
            return n * groups;
        }
    }

    private static Dims dims(INDArray x, int groups) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int spatial = c == 0 || n == 0 ? 0 : (int) (x.length() / ((long) n * c));
        return new Dims(n, c, groups, spatial);
    }

    static void forward(INDArray x, INDArray shift, int groups, INDArray weight, INDArray bias, double eps,
                        boolean silu, INDArray out, INDArray mean, INDArray rstd) {
        Dims d = dims(x, groups);
        float[] w = read(weight);
        float[] b = read(bias);
        float[] sh = read(shift);
        HostFloats hx = HostFloats.of(x);
        HostFloats hy = HostFloats.of(out);
        float[] mu = new float[d.slabs()];
        float[] rs = new float[d.slabs()];
        float e = (float) eps;
        int slab = d.slab();
        Parallel.RangeBody body = (lo, hi) -> {
            float[] buf = Scratch.floats(SLOT_X, slab);
            for (int i = lo; i < hi; i++) {
                hx.get((long) i * slab, buf, 0, slab);
                int n = i / d.groups();
                int c0 = (i % d.groups()) * d.perGroup();
                addShift(buf, sh, d, n, c0);
                float[] stats = moments(buf, slab, e);
                mu[i] = stats[0];
                rs[i] = stats[1];
                for (int c = 0; c < d.perGroup(); c++) {
                    float a = w == null ? stats[1] : stats[1] * w[c0 + c];
                    float shiftC = (b == null ? 0f : b[c0 + c]) - stats[0] * a;
                    affineRow(buf, c * d.spatial(), d.spatial(), a, shiftC, silu);
                }
                hy.put((long) i * slab, buf, 0, slab);
            }
        };
        if (x.length() < PARALLEL_ELEMENTS) {
            body.run(0, d.slabs());
        } else {
            Parallel.forShares(d.slabs(), 1, body);
        }
        if (mean != null) {
            HostFloats.of(mean).put(0, mu, 0, mu.length);
        }
        if (rstd != null) {
            HostFloats.of(rstd).put(0, rs, 0, rs.length);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(shift);
        Reference.reachabilityFence(weight);
        Reference.reachabilityFence(bias);
        Reference.reachabilityFence(out);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(rstd);
    }

    /**
     * Fills gradIn (the gradient of x, and of z) and each of gradShift (N, C), gradWeight and gradBias (C) that is
     * given; overwritten, not accumulated.
     */
    static void backward(INDArray x, INDArray shift, int groups, INDArray weight, INDArray bias, boolean silu,
                         INDArray mean, INDArray rstd, INDArray gradOut, INDArray gradIn, INDArray gradShift,
                         INDArray gradWeight, INDArray gradBias) {
        Dims d = dims(x, groups);
        float[] w = read(weight);
        float[] b = read(bias);
        float[] sh = read(shift);
        float[] mu = read(mean);
        float[] rs = read(rstd);
        HostFloats hx = HostFloats.of(x);
        HostFloats hg = HostFloats.of(gradOut);
        HostFloats hd = HostFloats.of(gradIn);
        float[] dShift = new float[d.n() * d.c()];
        int slab = d.slab();
        int parts = x.length() < PARALLEL_ELEMENTS ? 1 : Math.min(Parallel.THREADS, Math.max(1, d.slabs()));
        float[][] dw = new float[parts][];
        float[][] db = new float[parts][];
        java.util.function.IntConsumer share = p -> {
            int lo = (int) ((long) d.slabs() * p / parts);
            int hi = (int) ((long) d.slabs() * (p + 1) / parts);
            float[] xb = Scratch.floats(SLOT_X, slab);
            float[] gb = Scratch.floats(SLOT_G, slab);
            float[] sw = new float[d.c()];
            float[] sb = new float[d.c()];
            float[] sums = new float[2];
            for (int i = lo; i < hi; i++) {
                hx.get((long) i * slab, xb, 0, slab);
                hg.get((long) i * slab, gb, 0, slab);
                int n = i / d.groups();
                int c0 = (i % d.groups()) * d.perGroup();
                addShift(xb, sh, d, n, c0);
                float m = mu[i];
                float r = rs[i];
                float sumG = 0;
                float sumGx = 0;
                for (int c = 0; c < d.perGroup(); c++) {
                    float wc = w == null ? 1f : w[c0 + c];
                    float bc = b == null ? 0f : b[c0 + c];
                    parameterGradients(xb, gb, c * d.spatial(), d.spatial(), m, r, wc, bc, silu, sums);
                    sw[c0 + c] += sums[0];
                    sb[c0 + c] += sums[1];
                    sumG += wc * sums[1];
                    sumGx += wc * sums[0];
                }
                float mg = sumG / slab;
                float mgx = sumGx / slab;
                for (int c = 0; c < d.perGroup(); c++) {
                    float wc = w == null ? 1f : w[c0 + c];
                    dShift[n * d.c() + c0 + c] = inputGradient(xb, gb, c * d.spatial(), d.spatial(), m, r, wc, mg,
                            mgx);
                }
                hd.put((long) i * slab, gb, 0, slab);
            }
            dw[p] = sw;
            db[p] = sb;
        };
        VectorLayerNorm.runAndSumParameterGradients(parts, share, dw, db, d.c(), gradWeight, gradBias);
        if (gradShift != null) {
            HostFloats.of(gradShift).put(0, dShift, 0, dShift.length);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(shift);
        Reference.reachabilityFence(weight);
        Reference.reachabilityFence(bias);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(rstd);
        Reference.reachabilityFence(gradOut);
        Reference.reachabilityFence(gradIn);
        Reference.reachabilityFence(gradShift);
        Reference.reachabilityFence(gradWeight);
        Reference.reachabilityFence(gradBias);
    }

    private static float[] read(INDArray a) {
        if (a == null) {
            return null;
        }
        float[] r = new float[(int) a.length()];
        HostFloats.of(a).get(0, r, 0, r.length);
        return r;
    }

    private static void addShift(float[] buf, float[] shift, Dims d, int n, int c0) {
        if (shift == null) {
            return;
        }
        for (int c = 0; c < d.perGroup(); c++) {
            float s = shift[n * d.c() + c0 + c];
            int off = c * d.spatial();
            int bound = S.loopBound(d.spatial());
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, buf, off + i).add(s).intoArray(buf, off + i);
            }
            for (; i < d.spatial(); i++) {
                buf[off + i] += s;
            }
        }
    }

    /** {mean, 1/√(biased variance + eps)} of buf[0, len), the variance from centred values. */
    private static float[] moments(float[] buf, int len, float eps) {
        int bound = S.loopBound(len);
        FloatVector sv = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            sv = sv.add(FloatVector.fromArray(S, buf, i));
        }
        double sum = sv.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += buf[i];
        }
        float m = (float) (sum / len);
        FloatVector qv = FloatVector.zero(S);
        for (i = 0; i < bound; i += L) {
            FloatVector c = FloatVector.fromArray(S, buf, i).sub(m);
            qv = c.fma(c, qv);
        }
        double sq = qv.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float c = buf[i] - m;
            sq += c * c;
        }
        return new float[] {m, (float) (1.0 / Math.sqrt(sq / len + eps))};
    }

    /** buf[off, off + len) ← act(buf·a + shift). */
    private static void affineRow(float[] buf, int off, int len, float a, float shift, boolean silu) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector y = FloatVector.fromArray(S, buf, off + i).fma(a, shift);
            if (silu) {
                y = y.div(VectorMath.exp(y.neg()).add(1f));
            }
            y.intoArray(buf, off + i);
        }
        for (; i < len; i++) {
            float y = Math.fma(buf[off + i], a, shift);
            buf[off + i] = silu ? y / (VectorMath.exp(-y) + 1f) : y;
        }
    }

    /**
     * For one channel: g[off, off + len) (holding dout) becomes gy = dout·act'(y); sums[0] = Σ gy·ẑ,
     * sums[1] = Σ gy.
     */
    private static void parameterGradients(float[] x, float[] g, int off, int len, float m, float r, float wc,
                                           float bc, boolean silu, float[] sums) {
        int bound = S.loopBound(len);
        FloatVector sgx = FloatVector.zero(S);
        FloatVector sg = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(m).mul(r);
            FloatVector gy = FloatVector.fromArray(S, g, off + i);
            if (silu) {
                FloatVector y = xh.fma(wc, bc);
                FloatVector s = FloatVector.broadcast(S, 1f).div(VectorMath.exp(y.neg()).add(1f));
                gy = gy.mul(s).mul(y.mul(s.neg().add(1f)).add(1f));
                gy.intoArray(g, off + i);
            }
            sgx = gy.fma(xh, sgx);
            sg = sg.add(gy);
        }
        float gx = sgx.reduceLanes(VectorOperators.ADD);
        float gs = sg.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float xh = (x[off + i] - m) * r;
            float gy = g[off + i];
            if (silu) {
                float y = Math.fma(xh, wc, bc);
                float s = 1f / (VectorMath.exp(-y) + 1f);
                gy = gy * s * (1f + y * (1f - s));
                g[off + i] = gy;
            }
            gx += gy * xh;
            gs += gy;
        }
        sums[0] = gx;
        sums[1] = gs;
    }

    /** For one channel: g[off, off + len) (holding gy) becomes dz; returns Σ dz. */
    private static float inputGradient(float[] x, float[] g, int off, int len, float m, float r, float wc, float mg,
                                       float mgx) {
        int bound = S.loopBound(len);
        FloatVector sum = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(m).mul(r);
            FloatVector dz = FloatVector.fromArray(S, g, off + i).mul(wc).sub(mg).sub(xh.mul(mgx)).mul(r);
            dz.intoArray(g, off + i);
            sum = sum.add(dz);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float xh = (x[off + i] - m) * r;
            float dz = (g[off + i] * wc - mg - xh * mgx) * r;
            g[off + i] = dz;
            total += dz;
        }
        return total;
    }
}
