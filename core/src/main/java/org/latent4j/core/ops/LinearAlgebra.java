package org.latent4j.core.ops;

import java.util.Arrays;
import org.latent4j.core.autograd.Graph;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.latent4j.core.tensor.Arena;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products, determinants, linear solves and triangular masks. Every op works on the last two axes and
 * broadcasts the leading (batch) axes as NumPy does. The determinant, solve and inverse factor each matrix
 * by LU with partial pivoting (PA = LU) in float64, whatever the tensor's dtype; their backward rules are
 * written with these same ops, so they can be differentiated again.
 */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    // ---- products --------------------------------------------------------------------------------

    /**
     * Matrix product over the last two axes, with the leading (batch) axes broadcast as in NumPy:
     * (…, n, k) @ (…, k, m) → (…, n, m). Rank-1 operands are treated as PyTorch does: a left vector gains and
     * then loses a leading axis of 1, a right vector a trailing one; two vectors give their dot product.
     * Non-contiguous (permuted, sliced) operands are copied to row-major order for the kernel.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        long[] as = a.shape();
        long[] bs = b.shape();
        if (as.length == 0 || bs.length == 0) {
            throw new IllegalArgumentException("matmul: " + Shape.format(as) + " x " + Shape.format(bs)
                    + ": scalars are not matrices; use mul");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
        long k = as[as.length - 1];
        long k2 = bs.length == 1 ? bs[0] : bs[bs.length - 2];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: " + Shape.format(as) + " x " + Shape.format(bs)
                    + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        if (as.length == 1 || bs.length == 1) {
            Tensor ma = as.length == 1 ? Shapes.reshape(a, 1, k) : a; // (1, k)
            Tensor mb = bs.length == 1 ? Shapes.reshape(b, k, 1) : b; // (k, 1)
            Tensor r = matmul(ma, mb);
            int rank = r.rank();
            Tensor out = bs.length == 1 ? Shapes.squeeze(r, rank - 1) : r;
            return as.length == 1 ? Shapes.squeeze(out, rank - 2) : out;
        }
        long n = as[as.length - 2];
        long m = bs[bs.length - 1];
        if (bs.length == 2 && as.length > 2) {
            // (…, n, k) @ (k, m): one 2-D product over all rows, instead of broadcasting b to every batch item
            // (that copied b per item and summed its gradient back over the batch)
            long[] lead = Arrays.copyOf(as, as.length - 1);
            long rows = Arrays.stream(lead).reduce(1, Math::multiplyExact);
            Tensor flat = matmul(Shapes.reshape(a, rows, k), b);
            return Shapes.reshape(flat, concat(Arrays.copyOf(lead, lead.length - 1), n, m));
        }
        long[] batch = Shape.broadcast("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor ea = expandBatch(a, batch);
        Tensor eb = expandBatch(b, batch);
        INDArray out = Arena.allocate(a.value().dataType(), concat(batch, n, m)); // (…, n, m)
        Kernels.matmul(ea.value(), eb.value(), out);
        return Graph.record("matmul", out, g -> new Tensor[] {
            // dA = g @ Bᵀ, dB = Aᵀ @ g; expand's backward sums them over broadcast batch axes
            ea.requiresGrad() ? matmul(g, Shapes.transpose(eb, -1, -2)) : null,
            eb.requiresGrad() ? matmul(Shapes.transpose(ea, -1, -2), g) : null
        }, ea, eb);
    }

    /**
     * A linear layer's map {@code y = x·Wᵀ + b} (PyTorch's {@code F.linear}): {@code x} (…, in), {@code weight}
     * (out, in), {@code bias} (out) or null → (…, out). One op: the product reads W transposed in place, the
     * bias is added to the product's rows in place, and the backward writes each gradient in its parameter's own
     * layout: {@code dx = g·W}, {@code dW = gᵀ·x}, {@code db = Σ_rows g} (composing matmul, transpose and add
     * sent dW through a transposed copy and db through a broadcast's reduction).
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || x.rank() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shape.format(x.shape()) + " and weight "
                    + Shape.format(weight.shape()) + ": the weight must be (out, in) with in = the input's last size");
        }
        long in = weight.size(1);
        long out = weight.size(0);
        if (bias != null && (bias.rank() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException("linear: bias " + Shape.format(bias.shape()) + " must be (" + out + ")");
        }
        if (x.dtype() != weight.dtype() || (bias != null && bias.dtype() != x.dtype())) {
            throw new IllegalArgumentException("linear: dtypes differ (input " + x.dtype() + ", weight " + weight.dtype()
                    + (bias == null ? "" : ", bias " + bias.dtype()) + ")");
        }
        long[] shape = x.shape().clone();
        Tensor flat = x.rank() == 2 ? x : Shapes.reshape(x, -1, in);           // (N, in)
        INDArray y = Arena.allocate(x.value().dataType(), flat.size(0), out);   // (N, out)
        Kernels.matmulTransposedB(flat.value(), weight.value(), y);
        if (bias != null) {
            if (HostLoops.applies(y, bias.value())) {
                HostLoops.binary(HostLoops.Binary.ADD, y, bias.value(), y);
            } else {
                y.addiRowVector(bias.value());
            }
        }
        Tensor r = Graph.record("linear", y, g -> new Tensor[] {
            flat.requiresGrad() ? matmul(g, weight) : null,                                   // (N, in)
            weight.requiresGrad() ? matmul(Shapes.transpose(g, 0, 1), flat) : null,           // (out, in)
            bias != null && bias.requiresGrad() ? Reductions.sum(g, new int[] {0}, false) : null  // (out)
        }, flat, weight, bias);
        if (x.rank() == 2) {
            return r;
        }
        shape[shape.length - 1] = out;
        return Shapes.reshape(r, shape);                                        // (…, out)
    }

    /** {@code x} broadcast to leading axes {@code batch} (itself when it already has them). */
    private static Tensor expandBatch(Tensor x, long[] batch) {
        long[] s = x.shape();
        long[] own = Arrays.copyOf(s, s.length - 2);
        return Arrays.equals(own, batch) ? x : Shapes.expand(x, concat(batch, s[s.length - 2], s[s.length - 1]));
    }

    /** The outer product of two vectors: {@code out[i][j] = a[i]·b[j]}, shape (n, m). */
    public static Tensor outer(Tensor a, Tensor b) {
        if (a.rank() != 1 || b.rank() != 1) {
            throw new IllegalArgumentException("outer: needs two vectors, got " + Shape.format(a.shape()) + " and "
                    + Shape.format(b.shape()));
        }
        return Elementwise.mul(Shapes.reshape(a, a.size(0), 1), Shapes.reshape(b, 1, b.size(0))); // (n, m)
    }

    // ---- determinant, solve, inverse -------------------------------------------------------------------

    /** Sign (−1, 0 or +1) and natural log of the absolute value of a determinant; both of the batch shape. */
    public record LogDet(Tensor sign, Tensor logAbsDet) {
    }

    /**
     * {@code sign · exp(logAbsDet) = det(x)} for square matrices {@code (…, n, n)}, as {@code torch.linalg.slogdet}:
     * from the pivots of PA = LU, {@code log|det| = Σ log|U_ii|}. A singular matrix gives sign 0 and −∞.
     * Only {@code logAbsDet} is differentiable: {@code ∂ log|det A| / ∂A = A^{-T}}. A normalizing flow's
     * invertible 1×1 convolution adds {@code H·W·log|det W|} to its log-likelihood with this.
     */
    public static LogDet slogdet(Tensor x) {
        long[] shape = square("slogdet", x);
        int n = (int) shape[shape.length - 1];
        long[] batch = Arrays.copyOf(shape, shape.length - 2);
        double[] lu = toDoubles(x.value());
        int count = lu.length / Math.max(1, n * n);
        double[] sign = new double[count];
        double[] logAbs = new double[count];
        int[] perm = new int[n];
        for (int m = 0; m < count; m++) {
            sign[m] = factor(lu, m * n * n, n, perm);
            for (int i = 0; i < n; i++) {
                double u = lu[m * n * n + i * n + i];
                sign[m] *= Math.signum(u);
                logAbs[m] += Math.log(Math.abs(u));
            }
            sign[m] += 0.0; // −0 → 0
        }
        DataType type = x.value().dataType();
        Tensor s = Graph.constant(create(sign, batch, type));
        Tensor logAbsDet = Graph.record("slogdet", create(logAbs, batch, type), g -> new Tensor[] {
            // d log|det A| = tr(A⁻¹ dA)  ⇒  grad = g · A⁻ᵀ
            Elementwise.mul(Shapes.reshape(g, concat(batch, 1, 1)), Shapes.transpose(inverse(x), -1, -2))
        }, x);
        return new LogDet(s, logAbsDet);
    }

    /**
     * The solution of {@code a x = b} (LU with partial pivoting): {@code a} is {@code (…, n, n)}, {@code b} is
     * {@code (…, n, k)}, a vector {@code (n,)} or, when its shape is {@code a}'s without the last axis, a batch of
     * vectors {@code (…, n)} (as {@code torch.linalg.solve}); batch axes broadcast. Backward:
     * {@code grad_b = solve(aᵀ, g)}, {@code grad_a = −grad_b xᵀ}. A singular {@code a} is an error.
     */
    public static Tensor solve(Tensor a, Tensor b) {
        long[] as = square("solve", a);
        long n = as[as.length - 1];
        Shapes.sameDType("solve", a, b);
        long[] vectors = Arrays.copyOf(as, as.length - 1);
        boolean batchOfVectors = b.rank() == vectors.length && Arrays.equals(b.shape(), vectors);
        if (b.rank() == 1 || batchOfVectors) { // (n,) or (…, n), as torch.linalg.solve reads them
            if (b.size(-1) != n) {
                throw new IllegalArgumentException("solve: a is " + Shape.format(as) + " but b "
                        + Shape.format(b.shape()) + " has " + b.size(-1) + " rows");
            }
            return Shapes.squeeze(solve(a, Shapes.unsqueeze(b, -1)), -1);
        }
        long[] bs = b.shape();
        if (bs.length < 2 || bs[bs.length - 2] != n) {
            throw new IllegalArgumentException("solve: a is " + Shape.format(as) + " but b " + Shape.format(bs)
                    + " has " + (bs.length < 2 ? 0 : bs[bs.length - 2]) + " rows");
        }
        long[] batch = Shape.broadcast("solve", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor ea = expandBatch(a, batch); // (…, n, n)
        Tensor eb = expandBatch(b, batch); // (…, n, k)
        double[] x = toDoubles(eb.value());
        luSolve("solve", toDoubles(ea.value()), (int) n, x, (int) bs[bs.length - 1]);
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("solve", create(x, eb.shape(), a.value().dataType()), g -> {
            Tensor gb = solve(Shapes.transpose(ea, -1, -2), g);
            Tensor ga = ea.requiresGrad() ? Elementwise.neg(matmul(gb, Shapes.transpose(self[0], -1, -2))) : null;
            return new Tensor[] {ga, eb.requiresGrad() ? gb : null};
        }, ea, eb);
        return self[0];
    }

    /** The inverse of square matrices {@code (…, n, n)}. Backward: {@code −A⁻ᵀ g A⁻ᵀ}. */
    public static Tensor inverse(Tensor a) {
        long[] shape = square("inverse", a);
        int n = (int) shape[shape.length - 1];
        double[] x = new double[(int) Shape.numel(shape)];
        for (int m = 0; m < x.length / Math.max(1, n * n); m++) {
            for (int i = 0; i < n; i++) {
                x[m * n * n + i * n + i] = 1;
            }
        }
        luSolve("inverse", toDoubles(a.value()), n, x, n);
        Tensor[] self = new Tensor[1];
        self[0] = Graph.record("inverse", create(x, shape, a.value().dataType()), g -> {
            Tensor invT = Shapes.transpose(self[0], -1, -2);
            return new Tensor[] {Elementwise.neg(matmul(matmul(invT, g), invT))};
        }, a);
        return self[0];
    }

    private static long[] square(String op, Tensor a) {
        long[] s = a.shape();
        if (s.length < 2 || s[s.length - 1] != s[s.length - 2]) {
            throw new IllegalArgumentException(op + ": needs square matrices (…, n, n), got " + Shape.format(s));
        }
        return s;
    }

    /**
     * Solves each matrix of {@code lu} (batch·n·n, row-major; overwritten by its factors) against the matching
     * {@code (n, k)} block of {@code rhs}, in place.
     */
    private static void luSolve(String op, double[] lu, int n, double[] rhs, int k) {
        int[] perm = new int[n];
        double[] column = new double[n];
        for (int m = 0; m < lu.length / Math.max(1, n * n); m++) {
            int a = m * n * n;
            int r = m * n * k;
            factor(lu, a, n, perm);
            for (int i = 0; i < n; i++) {
                if (lu[a + i * n + i] == 0) {
                    throw new IllegalArgumentException(op + ": matrix " + m + " of the batch is singular");
                }
            }
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < n; i++) {
                    column[i] = rhs[r + perm[i] * k + c]; // P b
                }
                for (int i = 0; i < n; i++) { // L y = P b, L unit lower triangular
                    double s = column[i];
                    for (int j = 0; j < i; j++) {
                        s -= lu[a + i * n + j] * column[j];
                    }
                    column[i] = s;
                }
                for (int i = n - 1; i >= 0; i--) { // U x = y
                    double s = column[i];
                    for (int j = i + 1; j < n; j++) {
                        s -= lu[a + i * n + j] * column[j];
                    }
                    column[i] = s / lu[a + i * n + i];
                }
                for (int i = 0; i < n; i++) {
                    rhs[r + i * k + c] = column[i];
                }
            }
        }
    }

    /**
     * PA = LU of the n×n matrix at {@code off}, in place (L below the diagonal with a unit diagonal, U on and
     * above it); {@code perm[i]} is the original row now at row i. Returns the sign of the permutation.
     */
    private static double factor(double[] a, int off, int n, int[] perm) {
        double sign = 1;
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[off + r * n + c]) > Math.abs(a[off + pivot * n + c])) {
                    pivot = r;
                }
            }
            if (pivot != c) {
                for (int j = 0; j < n; j++) {
                    double t = a[off + c * n + j];
                    a[off + c * n + j] = a[off + pivot * n + j];
                    a[off + pivot * n + j] = t;
                }
                int t = perm[c];
                perm[c] = perm[pivot];
                perm[pivot] = t;
                sign = -sign;
            }
            double d = a[off + c * n + c];
            if (d == 0) {
                continue;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[off + r * n + c] / d;
                a[off + r * n + c] = f;
                for (int j = c + 1; j < n; j++) {
                    a[off + r * n + j] -= f * a[off + c * n + j];
                }
            }
        }
        return sign;
    }

    private static double[] toDoubles(INDArray x) {
        return (x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE)).dup('c').data().asDouble();
    }

    private static INDArray create(double[] data, long[] shape, DataType type) {
        INDArray d = Nd4j.create(data, shape, 'c');
        if (type == DataType.DOUBLE) {
            return d;
        }
        INDArray cast = d.castTo(type);
        d.close();
        return cast;
    }

    // ---- triangular masks -----------------------------------------------------------------------------

    /**
     * The upper triangle of the last two axes: elements with {@code j − i ≥ diagonal} kept, the rest zero
     * ({@code diagonal} 1 drops the main diagonal, −1 keeps one below it). Backward: the same mask.
     */
    public static Tensor triu(Tensor x, long diagonal) {
        return triangle("triu", x, diagonal, true);
    }

    /** The lower triangle of the last two axes: elements with {@code j − i ≤ diagonal} kept, the rest zero. */
    public static Tensor tril(Tensor x, long diagonal) {
        return triangle("tril", x, diagonal, false);
    }

    private static Tensor triangle(String op, Tensor x, long diagonal, boolean upper) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": needs matrices (…, n, m), got " + Shape.format(x.shape()));
        }
        long rows = x.size(-2);
        long cols = x.size(-1);
        double[] mask = new double[(int) (rows * cols)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                boolean keep = upper ? j - i >= diagonal : j - i <= diagonal;
                mask[(int) (i * cols + j)] = keep ? 1 : 0;
            }
        }
        Tensor m = Graph.constant(create(mask, new long[] {rows, cols}, x.value().dataType())); // (n, m)
        return Elementwise.mul(x, m);
    }

    /**
     * A {@code (t, t)} bool mask, true where query i must not see key j ({@code j > i}): pass it to
     * {@code maskedFill(scores, mask, −∞)} before a softmax for causal self-attention.
     */
    public static Tensor causalMask(long t) {
        return causalMask(t, t);
    }

    /**
     * A {@code (queries, keys)} bool mask for the last {@code queries} positions of a sequence of {@code keys}
     * (decoding with a key/value cache): true where {@code j > i + keys − queries}.
     */
    public static Tensor causalMask(long queries, long keys) {
        if (queries < 0 || keys < queries) {
            throw new IllegalArgumentException("causalMask: need 0 ≤ queries ≤ keys, got " + queries
                    + " queries and " + keys + " keys");
        }
        double[] hidden = new double[(int) (queries * keys)];
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < keys; j++) {
                hidden[(int) (i * keys + j)] = j > i + keys - queries ? 1 : 0;
            }
        }
        return Graph.constant(create(hidden, new long[] {queries, keys}, DataType.BOOL));
    }

    static long[] concat(long[] head, long... tail) {
        long[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }
}
