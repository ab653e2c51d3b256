package org.latent4j.core.ops;

import static org.latent4j.core.ops.Elementwise.mul;
import static org.latent4j.core.ops.Elementwise.sub;

import java.util.Arrays;
import org.latent4j.core.autograd.GradMode;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Arena;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training losses, each reduced to a scalar mean as PyTorch's default {@code reduction='mean'}.
 * Cross-entropy and nll are fused: they read the target class of each row directly instead of building
 * a one-hot tensor, and cross-entropy's backward is the closed form softmax − target. Every loss here can be
 * differentiated twice.
 */
public final class Losses {
    /** PyTorch's default {@code ignore_index}: a target equal to it contributes nothing. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    private Losses() {
    }

    /** Mean squared error: mean((pred − target)²). Shapes must match exactly (no silent broadcast). */
    public static Tensor mse(Tensor pred, Tensor target) {
        sameShape("mse", pred, target);
        return Reductions.mean(Elementwise.square(sub(pred, target)));
    }

    /** Mean absolute error: mean(|pred − target|). */
    public static Tensor l1(Tensor pred, Tensor target) {
        sameShape("l1", pred, target);
        return Reductions.mean(Elementwise.abs(sub(pred, target)));
    }

    /**
     * Binary cross-entropy on logits: mean(softplus(x) − x·t), the stable form of
     * −[t log σ(x) + (1 − t) log(1 − σ(x))]. Targets may be soft (any value in [0, 1]).
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        sameShape("bceWithLogits", logits, target);
        INDArray x = logits.value();
        long n = logits.numel();
        INDArray terms = Activations.softplusValue(x);
        INDArray xt = x.mul(target.value());
        terms.subi(xt);
        xt.close();
        INDArray out = Nd4j.scalar(x.dataType(), terms.sumNumber().doubleValue() / n);
        terms.close();
        return Graph.record("bceWithLogits", out, g -> new Tensor[] {
            // d/dx = (σ(x) − t) / N, d/dt = −x / N
            logits.requiresGrad() ? mul(mul(sub(Activations.sigmoid(logits), target), g), 1.0 / n) : null,
            target.requiresGrad() ? mul(mul(logits, g), -1.0 / n) : null
        }, logits, target);
    }

    /** Cross-entropy of logits (N, C) or (N, C, d1, …) against int64 class targets (N) or (N, d1, …). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, DEFAULT_IGNORE_INDEX, 0);
    }

    /**
     * Cross-entropy with PyTorch's options: rows whose target equals {@code ignoreIndex} are left out of the
     * mean, and label smoothing ε mixes the one-hot target with the uniform distribution:
     * loss = (1 − ε)·mean(−log p[target]) + ε·mean(−Σ_c log p[c]) / C, means over the non-ignored rows
     * (NaN, as in PyTorch, when every row is ignored). The backward is (softmax − smoothed target) / count,
     * computed directly on the arrays, or with tensor ops when a second-order gradient is being built.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, long ignoreIndex, double labelSmoothing) {
        String op = "crossEntropy";
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        Rows r = Rows.of(op, logits, targets, ignoreIndex);
        double eps = labelSmoothing;
        int c = r.classes;
        if (r.inputShape.length == 2 && logits.dtype() == DType.FLOAT32 && (long) r.targets.length * c <= 1 << 24
                && Shapes.isDense(logits.value()) && logits.value().offset() == 0) {
            return crossEntropyRows(logits, targets, r, ignoreIndex, eps);
        }
        // log-softmax of each row: x − logsumexp(x)
        INDArray rows = r.values(logits.value());
        INDArray lse = Reductions.logSumExp(Tensor.wrap(rows), new int[] {1}, true).value();
        INDArray logp = Graph.constant(rows.subColumnVector(lse)).value(); // (M, C), freed with the arena
        if (rows != logits.value()) {
            rows.close();
        }
        INDArray rowSums = eps > 0 ? logp.sum(1) : null;
        double picked = 0;
        double smooth = 0;
        for (int i = 0; i < r.targets.length; i++) {
            if (r.targets[i] != ignoreIndex) {
                picked += logp.getDouble(i, r.targets[i]);
                smooth += eps > 0 ? rowSums.getDouble(i) : 0;
            }
        }
        if (rowSums != null) {
            rowSums.close();
        }
        double loss = -((1 - eps) * picked + eps * smooth / c) / r.count;
        INDArray out = Nd4j.scalar(logits.value().dataType(), loss);
        return Graph.record(op, out, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {recordedCrossEntropyGrad(logits, r, ignoreIndex, eps, g), null};
            }
            INDArray grad = Nd4j.createUninitialized(logp.dataType(), logp.shape());
            Nd4j.exec(new Exp(logp, grad)); // softmax
            if (eps > 0) {
                grad.subi(eps / c);
            }
            // each kept row scaled by g / count, each ignored row zeroed, in one pass
            double scale = r.count == 0 ? 0 : g.item() / r.count;
            double[] rowScale = new double[r.targets.length];
            for (int i = 0; i < r.targets.length; i++) {
                if (r.targets[i] != ignoreIndex) {
                    grad.putScalar(i, r.targets[i], grad.getDouble(i, r.targets[i]) - (1 - eps));
                    rowScale[i] = scale;
                }
            }
            INDArray column = Nd4j.create(rowScale, new long[] {rowScale.length, 1}, 'c').castTo(grad.dataType());
            grad.muliColumnVector(column);
            column.close();
            return new Tensor[] {Graph.constant(r.toInputLayout(grad)), null};
        }, logits, targets);
    }

    /**
     * Float32 (M, C) scores: the log-softmax of each row, the loss and (in the backward) softmax minus the smoothed
     * target in Java loops over one copy of the scores, where the ND4J route took ten native ops and a
     * {@code getDouble} per row (the baby GPT's 768 × 65 logits: ~5 ms of a step on one core).
     */
    private static Tensor crossEntropyRows(Tensor logits, Tensor targets, Rows r, long ignoreIndex, double eps) {
        int m = r.targets.length;
        int c = r.classes;
        float[] x = new float[m * c];
        logits.value().data().asNioFloat().get(0, x, 0, m * c);
        double[] shift = new double[m];          // per row: max + log Σ exp(x − max), so log p = x − shift
        boolean lanes = Kernels.hasLogSumExp(logits.value());
        if (lanes) { // the rows' exponentials in vector lanes, on the kernel threads
            float[] lse = new float[m];
            Kernels.logSumExpLastAxis(logits.value(), lse);
            for (int i = 0; i < m; i++) {
                shift[i] = lse[i];
            }
        }
        double picked = 0;
        double smooth = 0;
        for (int i = 0; i < m; i++) {
            int row = i * c;
            double total = 0;
            if (eps > 0) {
                for (int j = 0; j < c; j++) {
                    total += x[row + j];
                }
            }
            if (!lanes) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) {
                    max = Math.max(max, x[row + j]);
                }
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(x[row + j] - max);
                }
                shift[i] = max + Math.log(sum);
            }
            if (r.targets[i] != ignoreIndex) {
                picked += x[row + (int) r.targets[i]] - shift[i];
                smooth += total - c * shift[i];
            }
        }
        double loss = -((1 - eps) * picked + eps * smooth / c) / r.count;
        INDArray out = Nd4j.scalar(DataType.FLOAT, loss);
        return Graph.record("crossEntropy", out, g -> {
            if (GradMode.isEnabled()) {
                return new Tensor[] {recordedCrossEntropyGrad(logits, r, ignoreIndex, eps, g), null};
            }
            double scale = r.count == 0 ? 0 : g.item() / r.count;
            float[] grad = new float[m * c];
            INDArray dx = Arena.allocate(DataType.FLOAT, m, c);
            if (lanes) { // softmax rows from the kernel, then shifted and scaled here
                Kernels.softmaxLastAxis(logits.value(), dx);
                dx.data().asNioFloat().get(0, grad, 0, m * c);
            }
            float offset = (float) (eps / c);
            for (int i = 0; i < m; i++) {
                int row = i * c;
                if (r.targets[i] == ignoreIndex) {
                    java.util.Arrays.fill(grad, row, row + c, 0f); // no gradient
                    continue;
                }
                if (lanes) {
                    float s = (float) scale;
                    for (int j = 0; j < c; j++) {
                        grad[row + j] = (grad[row + j] - offset) * s;
                    }
                } else {
                    for (int j = 0; j < c; j++) {
                        grad[row + j] = (float) ((Math.exp(x[row + j] - shift[i]) - eps / c) * scale);
                    }
                }
                grad[row + (int) r.targets[i]] -= (float) ((1 - eps) * scale);
            }
            dx.data().asNioFloat().put(0, grad, 0, m * c);
            return new Tensor[] {Graph.constant(dx), null};
        }, logits, targets);
    }

    /**
     * Cross-entropy's gradient written with tensor ops, (softmax(x)·kept − smoothed target) · g / count, for a
     * backward pass that is itself recorded (second-order gradients).
     */
    private static Tensor recordedCrossEntropyGrad(Tensor logits, Rows r, long ignoreIndex, double eps, Tensor g) {
        DataType dt = logits.value().dataType();
        double perRow = r.count == 0 ? 0 : 1.0 / r.count;
        INDArray kept = Nd4j.zeros(dt, r.targets.length, r.classes); // (M, C): 1/count on kept rows
        for (int i = 0; i < r.targets.length; i++) {
            if (r.targets[i] != ignoreIndex) {
                kept.getRow(i).assign(perRow);
            }
        }
        INDArray target = kept.mul(eps / r.classes);
        for (int i = 0; i < r.targets.length; i++) {
            if (r.targets[i] != ignoreIndex) {
                target.putScalar(i, r.targets[i], target.getDouble(i, r.targets[i]) + (1 - eps) * perRow);
            }
        }
        Tensor keptWeight = Graph.constant(r.toInputLayout(kept));
        Tensor smoothed = Graph.constant(r.toInputLayout(target));
        Tensor softmax = Elementwise.exp(sub(logits, Reductions.logSumExp(logits, new int[] {1}, true)));
        return mul(sub(mul(softmax, keptWeight), smoothed), g);
    }

    /**
     * Negative log-likelihood of log-probabilities (N, C) or (N, C, d1, …) at int64 targets: mean(−logp[target])
     * (NaN, as in PyTorch, when every row is ignored).
     */
    public static Tensor nll(Tensor logProbs, Tensor targets) {
        return nll(logProbs, targets, DEFAULT_IGNORE_INDEX);
    }

    /** {@link #nll(Tensor, Tensor)} leaving out rows whose target equals {@code ignoreIndex}. */
    public static Tensor nll(Tensor logProbs, Tensor targets, long ignoreIndex) {
        Rows r = Rows.of("nll", logProbs, targets, ignoreIndex);
        // the loss is linear in logProbs: loss = Σ W·logProbs with W = −1/count at each target
        INDArray w = Nd4j.zeros(logProbs.value().dataType(), r.targets.length, r.classes); // (M, C)
        for (int i = 0; i < r.targets.length; i++) {
            if (r.targets[i] != ignoreIndex) {
                w.putScalar(i, r.targets[i], -1.0 / r.count);
            }
        }
        INDArray weights = r.toInputLayout(w);
        Tensor weight = Graph.constant(weights);
        INDArray terms = weights.mul(logProbs.value());
        double loss = r.count == 0 ? Double.NaN : terms.sumNumber().doubleValue();
        terms.close();
        INDArray out = Nd4j.scalar(logProbs.value().dataType(), loss);
        return Graph.record("nll", out, g -> new Tensor[] {mul(weight, g), null}, logProbs, targets);
    }

    /**
     * KL(N(μ, e^logVar) ‖ N(0, I)) = −½ Σ (1 + logVar − μ² − e^logVar), summed over the last axis (the latent
     * dimensions) and averaged over every leading (batch) axis; a rank-1 input is one sample.
     */
    public static Tensor gaussianKl(Tensor mu, Tensor logVar) {
        sameShape("gaussianKl", mu, logVar);
        if (mu.rank() == 0) {
            throw new IllegalArgumentException("gaussianKl: needs a latent axis, got scalars");
        }
        Tensor inner = sub(sub(Elementwise.add(logVar, 1.0), Elementwise.square(mu)), Elementwise.exp(logVar));
        Tensor perSample = mul(Reductions.sum(inner, new int[] {-1}, false), -0.5);
        return mu.rank() == 1 ? perSample : Reductions.mean(perSample);
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        Elementwise.requireFloat(op, a);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()) + " differ; the loss does not broadcast");
        }
    }

    /**
     * The targets of class scores (N, C, d1, …) flattened to M = N·d1·… rows, the number of rows not ignored,
     * and the moves between the input's layout and rows (M, C).
     */
    private static final class Rows {
        final long[] targets;
        final int classes;
        final long count;
        final long[] inputShape;

        private Rows(long[] targets, long count, long[] inputShape) {
            this.targets = targets;
            this.classes = (int) inputShape[1];
            this.count = count;
            this.inputShape = inputShape;
        }

        static Rows of(String op, Tensor x, Tensor targets, long ignoreIndex) {
            Elementwise.requireFloat(op, x);
            long[] xs = x.shape();
            if (xs.length < 2) {
                throw new IllegalArgumentException(op + ": input must be (N, C) or (N, C, d1, ...), got "
                        + Shape.format(xs));
            }
            if (targets.dtype() != DType.INT64) {
                throw new IllegalArgumentException(op + ": targets must be int64 class indices, got "
                        + targets.dtype());
            }
            long[] expected = new long[xs.length - 1];
            expected[0] = xs[0];
            System.arraycopy(xs, 2, expected, 1, xs.length - 2);
            if (!Arrays.equals(expected, targets.shape())) {
                throw new IllegalArgumentException(op + ": targets " + Shape.format(targets.shape())
                        + " do not match input " + Shape.format(xs) + " (expected " + Shape.format(expected) + ")");
            }
            long[] t = targets.toLongArray();
            long count = 0;
            for (int i = 0; i < t.length; i++) {
                if (t[i] == ignoreIndex) {
                    continue;
                }
                if (t[i] < 0 || t[i] >= xs[1]) {
                    throw new IllegalArgumentException(op + ": target " + t[i] + " at position " + i
                            + " is out of range for " + xs[1] + " classes");
                }
                count++;
            }
            return new Rows(t, count, xs);
        }

        /** The input's scores as rows (M, C), c-ordered (the input itself when it already is). */
        INDArray values(INDArray x) {
            if (inputShape.length == 2) {
                return x.ordering() == 'c' && !x.isView() ? x : x.dup('c');
            }
            int[] classLast = new int[inputShape.length];
            for (int i = 2; i < inputShape.length; i++) {
                classLast[i - 1] = i;
            }
            classLast[inputShape.length - 1] = 1;
            return x.permute(classLast).dup('c').reshape('c', targets.length, classes); // (N·d1·…, C)
        }

        /** Rows (M, C) back in the input's layout (N, C, d1, …), as a fresh array; {@code rows} is consumed. */
        INDArray toInputLayout(INDArray rows) {
            if (inputShape.length == 2) {
                return rows;
            }
            long[] classLast = new long[inputShape.length];
            classLast[0] = inputShape[0];
            System.arraycopy(inputShape, 2, classLast, 1, inputShape.length - 2);
            classLast[inputShape.length - 1] = classes;
            int[] back = new int[inputShape.length];
            back[0] = 0;
            back[1] = inputShape.length - 1;
            for (int i = 2; i < inputShape.length; i++) {
                back[i] = i - 1;
            }
            INDArray out = rows.reshape('c', classLast).permute(back).dup('c'); // (N, C, d1, …)
            rows.close();
            return out;
        }
    }
}
