package org.latent4j.core.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The same kernels composed from ND4J ops: the path on the CUDA backend, for float64, without the Vector
 * API module, and wherever ND4J measured faster. Attention here materializes the (Tq×Tk) scores.
 */
final class Nd4jKernels {
    private Nd4jKernels() {
    }

    static void matmul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new Mmul(a, b, out, null));
    }

    static void softmax(INDArray x, INDArray out) {
        Nd4j.exec(new SoftMax(x, out, x.rank() - 1));
    }

    static void softmaxBackward(INDArray y, INDArray gradOut, INDArray gradIn) {
        INDArray gy = gradOut.mul(y);
        INDArray dot = gy.sum(true, y.rank() - 1).broadcast(y.shape());
        gradIn.assign(gy.subi(y.mul(dot)));
    }

    static void layerNorm(INDArray x, INDArray weight, INDArray bias, double eps, INDArray out, INDArray mean,
                          INDArray rstd) {
        int last = x.rank() - 1;
        long[] shape = x.shape();
        INDArray mu = x.mean(true, last);
        INDArray xc = x.sub(mu.broadcast(shape));
        INDArray var = xc.mul(xc).mean(true, last);
        INDArray rs = Transforms.pow(var.addi(eps), -0.5, false);
        INDArray y = xc.muli(rs.broadcast(shape));
        if (weight != null) {
            y.muli(row(weight, x));
        }
        if (bias != null) {
            y.addi(row(bias, x));
        }
        out.assign(y);
        if (mean != null) {
            mean.assign(mu.reshape(mean.shape()));
        }
        if (rstd != null) {
            rstd.assign(rs.reshape(rstd.shape()));
        }
    }

    static void layerNormBackward(INDArray x, INDArray gradOut, INDArray weight, INDArray mean, INDArray rstd,
                                  INDArray gradIn, INDArray gradWeight, INDArray gradBias) {
        long n = x.size(x.rank() - 1);
        long rows = x.length() / n;
        long[] shape = x.shape();
        INDArray x2 = x.reshape(rows, n);
        INDArray dy = gradOut.reshape(rows, n);
        INDArray mu = mean.reshape(rows, 1).broadcast(rows, n);
        INDArray rs = rstd.reshape(rows, 1).broadcast(rows, n);
        INDArray xh = x2.sub(mu).muli(rs);
        if (gradWeight != null) {
            gradWeight.assign(dy.mul(xh).sum(0).reshape(gradWeight.shape()));
        }
        if (gradBias != null) {
            gradBias.assign(dy.sum(0).reshape(gradBias.shape()));
        }
        INDArray g = weight == null ? dy.dup() : dy.mul(weight.reshape(1, n).broadcast(rows, n));
        INDArray mg = g.mean(true, 1).broadcast(rows, n);
        INDArray mgx = g.mul(xh).mean(true, 1).broadcast(rows, n);
        INDArray dx = g.subi(mg).subi(xh.muli(mgx)).muli(rs);
        gradIn.assign(dx.reshape(shape));
    }

    private static INDArray row(INDArray w, INDArray x) {
        long[] s = new long[x.rank()];
        java.util.Arrays.fill(s, 1);
        s[s.length - 1] = w.length();
        return w.reshape(s).broadcast(x.shape());
    }

    /** Scores (B,H,Tq,Tk) with masked entries pushed to -1e30, and which rows see at least one key (B,H,Tq,1). */
    private record Scores(INDArray s, INDArray anyKey) {
    }

    private static Scores scores(INDArray q, INDArray k, boolean causal, INDArray mask) {
        double scale = 1.0 / Math.sqrt(q.size(3));
        INDArray s = Nd4j.matmul(q, k.permute(0, 1, 3, 2).dup('c')).muli(scale); // (B, H, Tq, Tk)
        long b = q.size(0), h = q.size(1), tq = q.size(2), tk = k.size(2);
        INDArray keep = Nd4j.ones(s.dataType(), b, h, tq, tk);
        if (causal) {
            INDArray tril = Nd4j.ones(s.dataType(), tq, tk);
            for (long i = 0; i < tq; i++) {
                for (long j = i + 1; j < tk; j++) {
                    tril.putScalar(i, j, 0);
                }
            }
            keep.muli(tril.reshape(1, 1, tq, tk).broadcast(b, h, tq, tk));
        }
        if (mask != null) {
            INDArray m = mask.neq(0).castTo(s.dataType());
            keep.muli(m.reshape(b, 1, 1, tk).broadcast(b, h, tq, tk));
        }
        s.addi(keep.sub(1.0).muli(1e30));
        return new Scores(s, keep.max(true, 3));
    }

    static void attentionForward(INDArray q, INDArray k, INDArray v, boolean causal, INDArray mask, INDArray out,
                                 INDArray lse) {
        INDArray p = probabilities(scores(q, k, causal, mask), lse); // (B, H, Tq, Tk)
        out.assign(Nd4j.matmul(p, v)); // (B, H, Tq, Dv)
    }

    /** exp(s - lse) per row with lse written out; rows that see no key give p = 0 and lse = -inf. */
    private static INDArray probabilities(Scores sc, INDArray lse) {
        INDArray s = sc.s();
        INDArray max = s.max(true, 3);
        INDArray e = Transforms.exp(s.sub(max.broadcast(s.shape())), false);
        INDArray sum = e.sum(true, 3);
        if (lse != null) {
            INDArray l = Transforms.log(sum, true).addi(max).addi(Transforms.log(sc.anyKey(), true));
            lse.assign(l.reshape(lse.shape()));
        }
        return e.divi(sum.broadcast(s.shape())).muli(sc.anyKey().broadcast(s.shape()));
    }

    static void attentionBackward(INDArray q, INDArray k, INDArray v, INDArray out, INDArray gradOut,
                                  boolean causal, INDArray mask, INDArray gradQ, INDArray gradK, INDArray gradV) {
        double scale = 1.0 / Math.sqrt(q.size(3));
        INDArray p = probabilities(scores(q, k, causal, mask), null); // (B, H, Tq, Tk)
        INDArray pt = p.permute(0, 1, 3, 2).dup('c');
        gradV.assign(Nd4j.matmul(pt, gradOut)); // (B, H, Tk, Dv)
        INDArray dp = Nd4j.matmul(gradOut, v.permute(0, 1, 3, 2).dup('c')); // (B, H, Tq, Tk)
        INDArray delta = gradOut.mul(out).sum(true, 3).broadcast(dp.shape());
        INDArray ds = p.muli(dp.subi(delta)).muli(scale);
        gradQ.assign(Nd4j.matmul(ds, k)); // (B, H, Tq, D)
        gradK.assign(Nd4j.matmul(ds.permute(0, 1, 3, 2).dup('c'), q)); // (B, H, Tk, D)
    }
}
