package org.latent4j.flow;

import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.ops.Elementwise;
import org.latent4j.core.ops.LinearAlgebra;
import org.latent4j.core.ops.Reductions;
import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Glow's invertible 1×1 convolution with the LU parameterization (Kingma and Dhariwal 2018, §3.2): the channel
 * mixing matrix is {@code W = P·L·(U + diag(sign(s)·exp(log|s|)))} with P a fixed permutation, L unit lower
 * triangular and U strictly upper triangular, so {@code log|det W| = Σ log|s|} costs O(C) instead of O(C³),
 * and a (B, C, H, W) input gets {@code log|det J| = H·W·Σ log|s|}. Works on vectors (B, C) too (H·W = 1).
 * W starts as a random rotation, factored once at construction.
 *
 * <p>Parameters: {@code lower} and {@code upper} (C, C; only their strict triangles are used), {@code logS} (C).
 * Buffers: {@code permutation} (C, C) and {@code signS} (C). {@link PlainConv1x1} is the same map with W itself
 * as the parameter and {@code slogdet} for the determinant, for checking this one.
 */
public final class InvertibleConv1x1 extends Bijector {
    private final int channels;
    private final Tensor permutation;
    private final Tensor signS;
    private final Tensor lower;
    private final Tensor upper;
    private final Tensor logS;

    public InvertibleConv1x1(int channels, DType dtype, Rng rng) {
        if (channels <= 0) {
            throw new IllegalArgumentException("InvertibleConv1x1: channels must be positive, got " + channels);
        }
        this.channels = channels;
        permutation = registerBuffer("permutation", allocate(dtype, channels, channels));
        signS = registerBuffer("signS", allocate(dtype, channels));
        lower = registerParameter("lower", allocate(dtype, channels, channels));
        upper = registerParameter("upper", allocate(dtype, channels, channels));
        logS = registerParameter("logS", allocate(dtype, channels));
        factor(ChannelMix.randomOrthogonal(channels, rng));
    }

    /** Sets P, L, U and s from PA = LU of a (row-major) matrix: A = Pᵀ·L·U, so the stored P is the pivots' Pᵀ. */
    private void factor(double[] a) {
        int n = channels;
        int[] pivot = new int[n];
        for (int i = 0; i < n; i++) {
            pivot[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int best = k;
            for (int r = k + 1; r < n; r++) {
                if (Math.abs(a[r * n + k]) > Math.abs(a[best * n + k])) {
                    best = r;
                }
            }
            if (best != k) {
                for (int c = 0; c < n; c++) {
                    double t = a[k * n + c];
                    a[k * n + c] = a[best * n + c];
                    a[best * n + c] = t;
                }
                int t = pivot[k];
                pivot[k] = pivot[best];
                pivot[best] = t;
            }
            for (int r = k + 1; r < n; r++) {
                a[r * n + k] /= a[k * n + k];
                for (int c = k + 1; c < n; c++) {
                    a[r * n + c] -= a[r * n + k] * a[k * n + c];
                }
            }
        }
        double[] p = new double[n * n];
        double[] l = new double[n * n];
        double[] u = new double[n * n];
        double[] sign = new double[n];
        double[] logAbs = new double[n];
        for (int i = 0; i < n; i++) {
            p[pivot[i] * n + i] = 1; // row i of PA is row pivot[i] of A, so A = Pᵀ(LU) puts it back
            for (int j = 0; j < n; j++) {
                if (j < i) {
                    l[i * n + j] = a[i * n + j];
                } else if (j > i) {
                    u[i * n + j] = a[i * n + j];
                }
            }
            sign[i] = Math.signum(a[i * n + i]);
            logAbs[i] = Math.log(Math.abs(a[i * n + i]));
        }
        try (GradMode.Scope ng = GradMode.noGrad()) {
            permutation.value().assign(Tensor.of(p, n, n).to(logS.dtype()).value());
            lower.value().assign(Tensor.of(l, n, n).to(logS.dtype()).value());
            upper.value().assign(Tensor.of(u, n, n).to(logS.dtype()).value());
            signS.value().assign(Tensor.of(sign, n).to(logS.dtype()).value());
            logS.value().assign(Tensor.of(logAbs, n).to(logS.dtype()).value());
        }
    }

    /** W = P·L·(U + diag(sign·exp(logS))), (C, C). */
    public Tensor weight() {
        Tensor eye = identity();
        Tensor l = Elementwise.add(LinearAlgebra.tril(lower, -1), eye);
        Tensor diag = Elementwise.mul(eye, Shapes.reshape(Elementwise.mul(signS, Elementwise.exp(logS)), 1, channels));
        Tensor u = Elementwise.add(LinearAlgebra.triu(upper, 1), diag);
        return LinearAlgebra.matmul(LinearAlgebra.matmul(permutation, l), u);   // (C, C)
    }

    private Tensor identity() {
        double[] e = new double[channels * channels];
        for (int i = 0; i < channels; i++) {
            e[i * channels + i] = 1;
        }
        return Tensor.of(e, channels, channels).to(logS.dtype());
    }

    @Override
    public Output forward(Tensor x) {
        check("forward", x);
        Tensor z = ChannelMix.apply(x, weight());
        Tensor total = Elementwise.mul(Reductions.sum(logS), (double) spatialSize(x));
        return new Output(z, Shapes.expand(Shapes.reshape(total, 1), x.size(0)));
    }

    @Override
    public Tensor inverse(Tensor z) {
        check("inverse", z);
        return ChannelMix.apply(z, LinearAlgebra.inverse(weight()));
    }

    private void check(String op, Tensor x) {
        requireChannels("InvertibleConv1x1." + op, x, channels);
        if (x.dtype() != logS.dtype()) {
            throw new IllegalArgumentException("InvertibleConv1x1." + op + ": input is " + x.dtype()
                    + " but the layer is " + logS.dtype());
        }
    }

    @Override
    protected String extraRepr() {
        return "channels=" + channels;
    }
}
