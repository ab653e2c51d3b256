package org.latent4j.core.kernels;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.latent4j.core.tensor.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oneDNN's own sgemm ({@code dnnl_sgemm}: row-major BLAS, {@code C = op(A)·op(B)}) called straight on the
 * INDArrays' host buffers. ND4J's oneDNN build links its own copy of oneDNN statically and exposes only the
 * {@code Mmul} custom op, whose per-call setup costs more than a small product; the bytedeco binding's
 * {@code dnnl_sgemm} is one JNI call with three addresses. Each operand is read in place as row- or column-major
 * (the {@code 'N'}/{@code 'T'} flags), so a transposed weight is never copied. Every call runs on one OpenMP thread
 * and the kernel threads ({@link Parallel}) share a product out in blocks of C: oneDNN's own OpenMP split stalls at
 * its barrier whenever the machine runs something else, and costs more than the product below ~10⁸ multiply-adds.
 * Usable only when the {@code org.bytedeco:dnnl} classes and natives load on ND4J's CPU backend; otherwise
 * {@link #available} says no, with the reason logged once.
 */
final class DnnlGemm {
    private static final Logger LOG = LoggerFactory.getLogger(DnnlGemm.class);
    /**
     * Below this many multiply-adds a product runs on the calling thread alone: ~50 µs of work at oneDNN's ~80
     * GFLOPS a core, where handing half to another thread (~10–50 µs) stops paying. Not measurable on the busy
     * machine of 2026-11-29 (a second thread gained nothing at any size there); twice the Java sgemm's measured
     * threshold, as dnnl is about twice as fast a core.
     */
    static final long PARALLEL_WORK = 1L << 22;
    /** Row blocks start at multiples of this (whole register tiles). */
    private static final int ROW_ALIGN = 8;
    /** Column blocks start at multiples of a 64-byte cache line, so no two threads write one line of C. */
    private static final int COL_ALIGN = 16;
    /** Three reusable pointers per thread (A, B, C), aimed anew at each block: a call allocates nothing. */
    private static final ThreadLocal<Address[]> POINTERS =
            ThreadLocal.withInitial(() -> new Address[] {new Address(), new Address(), new Address()});
    private static volatile Boolean available;

    private DnnlGemm() {
    }

    /** True when {@code dnnl_sgemm} can be called: ND4J's CPU backend, and the bytedeco dnnl classes and natives. */
    static boolean available() {
        Boolean a = available;
        return a != null ? a : load();
    }

    private static synchronized boolean load() {
        if (available != null) {
            return available;
        }
        boolean ok = false;
        if (VectorSupport.cpuBackend()) {
            try {
                // A 1×1 product both loads the natives (the class's static initializer) and checks that they work.
                float[] z = {0f};
                int status = dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', 1, 1, 1, 1f, new float[] {2f}, 1,
                        new float[] {3f}, 1, 0f, z, 1);
                ok = status == dnnl.dnnl_success && z[0] == 6f;
                if (!ok) {
                    LOG.info("oneDNN's dnnl_sgemm answered status {} on a 1x1 test: Latent4j uses its other matmul "
                            + "kernels", status);
                }
            } catch (LinkageError e) {
                LOG.info("oneDNN's dnnl_sgemm is not available ({}): Latent4j uses its other matmul kernels",
                        e.toString());
            }
        }
        available = ok;
        return ok;
    }

    /**
     * True when {@code x} is float32 whose last two axes {@code dnnl_sgemm} can read in place: row-major or
     * column-major with a leading dimension it accepts (not a broadcast's zero stride); any leading axes.
     */
    static boolean readable(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() >= 2 && Layout.of(x) != null;
    }

    /** True when {@code out} can take the product in place: float32, row-major, and dense if batched. */
    static boolean writable(INDArray out) {
        if (out.dataType() != DataType.FLOAT || out.rank() < 2) {
            return false;
        }
        Layout l = Layout.of(out);
        return l != null && l.trans == 'N' && (out.rank() == 2 || HostFloats.isDense(out));
    }

    /**
     * {@code out = a @ b} over the last two axes, with equal leading (batch) axes: a (…, m, k), b (…, k, n), out
     * (…, m, n); a and b {@link #readable}, out {@link #writable}. Products of at least {@link #PARALLEL_WORK}
     * multiply-adds in all are cut into units (whole items, or blocks of C rows, or of columns when there are fewer
     * rows than columns), about one per kernel thread, which the threads claim one by one.
     */
    static void matmul(INDArray a, INDArray b, INDArray out) {
        matmul(a, b, out, PARALLEL_WORK, 1);
    }

    /** {@link #matmul(INDArray, INDArray, INDArray)} with a given split: tests try several. */
    static void matmul(INDArray a, INDArray b, INDArray out, long parallelWork, int unitsPerThread) {
        check(a, b, out);
        int r = a.rank();
        long items = Shape.numel(Arrays.copyOf(a.shape(), r - 2));
        Product p = new Product(Operand.of(a, false), Operand.of(b, false), Operand.of(out, false), a.size(r - 2),
                a.size(r - 1), b.size(r - 1));
        run(p, items, out, parallelWork, unitsPerThread);
        // dnnl read and wrote these arrays through raw addresses only: keep them (and their memory) alive
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(out);
    }

    /**
     * {@code out = a·bᵀ} for 2-D a (m, k) and b (n, k), reading b as the transpose it needs ({@code 'N'} and
     * {@code 'T'} swap): a linear layer's {@code x·Wᵀ} without a transposed view, whose shape descriptor ND4J builds
     * natively on every call. a and b {@link #readable}, out {@link #writable}.
     */
    static void matmulTransposedB(INDArray a, INDArray b, INDArray out) {
        if (a.rank() != 2 || b.rank() != 2 || out.rank() != 2 || a.size(1) != b.size(1) || out.size(0) != a.size(0)
                || out.size(1) != b.size(0)) {
            throw new IllegalArgumentException("matmul: " + Shape.format(a.shape()) + " x transposed "
                    + Shape.format(b.shape()) + " into " + Shape.format(out.shape()) + ": shapes do not fit");
        }
        checkLayouts(a, b, out);
        Product p = new Product(Operand.of(a, false), Operand.of(b, true), Operand.of(out, false), a.size(0),
                a.size(1), b.size(0));
        run(p, 1, out, PARALLEL_WORK, 1);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(out);
    }

    private static void run(Product p, long items, INDArray out, long parallelWork, int unitsPerThread) {
        long m = p.m;
        long n = p.n;
        if (m == 0 || n == 0 || items == 0) {
            return;
        }
        if (p.k == 0) {
            out.assign(0);
            return;
        }
        int threads = m * n * p.k * items >= parallelWork ? Parallel.concurrency(Integer.MAX_VALUE) : 1;
        boolean byRows = m >= n;
        long most = byRows ? ceilDiv(m, ROW_ALIGN) : ceilDiv(n, COL_ALIGN);
        int cuts = (int) Math.max(1, Math.min(most, ceilDiv((long) threads * unitsPerThread, items)));
        int units = Math.toIntExact(items * cuts);
        if (threads == 1) {
            for (int t = 0; t < items; t++) {
                p.block(t, 0, m, 0, n);
            }
        } else if (byRows) {
            Parallel.forEach(units, u -> p.block(u / cuts, share(m, u % cuts, cuts, ROW_ALIGN),
                    share(m, u % cuts + 1, cuts, ROW_ALIGN), 0, n));
        } else {
            Parallel.forEach(units, u -> p.block(u / cuts, 0, m, share(n, u % cuts, cuts, COL_ALIGN),
                    share(n, u % cuts + 1, cuts, COL_ALIGN)));
        }
    }

    private static void check(INDArray a, INDArray b, INDArray out) {
        int r = a.rank();
        boolean fits = r >= 2 && b.rank() == r && out.rank() == r && a.size(r - 1) == b.size(r - 2)
                && out.size(r - 2) == a.size(r - 2) && out.size(r - 1) == b.size(r - 1);
        for (int i = 0; fits && i < r - 2; i++) {
            fits = a.size(i) == b.size(i) && a.size(i) == out.size(i);
        }
        if (!fits) {
            throw new IllegalArgumentException("matmul: " + Kernels.shapes(a, b) + " into "
                    + Shape.format(out.shape()) + ": shapes do not fit");
        }
        checkLayouts(a, b, out);
    }

    private static void checkLayouts(INDArray a, INDArray b, INDArray out) {
        if (!readable(a) || !readable(b) || !writable(out)) {
            throw new IllegalArgumentException("matmul: oneDNN's sgemm cannot take " + Kernels.shapes(a, b)
                    + " with strides " + Arrays.toString(a.stride()) + ", " + Arrays.toString(b.stride()) + " into "
                    + Shape.format(out.shape()) + " with strides " + Arrays.toString(out.stride()));
        }
    }

    private static long ceilDiv(long x, long y) {
        return (x + y - 1) / y;
    }

    /** Start of block {@code u} of {@code units} over [0, total), a multiple of {@code align} (or total). */
    private static long share(long total, int u, int units, int align) {
        long blocks = ceilDiv(total, align);
        return Math.min(total, blocks * u / units * align);
    }

    /** One product's operands as dnnl_sgemm takes them, computed in blocks of C. */
    private record Product(Operand a, Operand b, Operand c, long m, long k, long n) {
        /** C[r0:r1, c0:c1] = A[r0:r1, :]·B[:, c0:c1] of batch item {@code item}, single-threaded on this thread. */
        void block(int item, long r0, long r1, long c0, long c1) {
            if (r0 >= r1 || c0 >= c1) {
                return;
            }
            long aBlock = a.address(item) + (a.layout.trans == 'N' ? r0 * a.layout.ld : r0) * Float.BYTES;
            long bBlock = b.address(item) + (b.layout.trans == 'N' ? c0 : c0 * b.layout.ld) * Float.BYTES;
            long cBlock = c.address(item) + (r0 * c.layout.ld + c0) * Float.BYTES;
            Address[] p = POINTERS.get();
            // dnnl_sgemm uses omp_get_max_threads() OpenMP threads, a per-thread setting: one here, for this call only
            // (ND4J's own ops on this thread keep theirs)
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            int before = ops.ompGetMaxThreads();
            if (before != 1) {
                ops.setOmpNumThreads(1);
            }
            int status;
            try {
                status = dnnl.dnnl_sgemm(a.layout.trans, b.layout.trans, r1 - r0, c1 - c0, k, 1f, p[0].at(aBlock),
                        a.layout.ld, p[1].at(bBlock), b.layout.ld, 0f, p[2].at(cBlock), c.layout.ld);
            } finally {
                if (before != 1) {
                    ops.setOmpNumThreads(before);
                }
            }
            if (status != dnnl.dnnl_success) {
                throw new IllegalStateException("matmul: oneDNN's sgemm failed with status " + status + " on a ("
                        + (r1 - r0) + ", " + k + ") x (" + k + ", " + (c1 - c0) + ") block");
            }
        }
    }

    /**
     * How the last two axes lie in memory, as BLAS names it: {@code 'N'} row-major with rows {@code ld} apart, or
     * {@code 'T'} column-major (the row-major transpose) with columns {@code ld} apart.
     */
    private record Layout(byte trans, long ld) {
        /** The layout of x's last two axes, or null when there is no unit stride or no leading dimension dnnl takes. */
        static Layout of(INDArray x) {
            return of(x, false);
        }

        /** The layout of x's last two axes, or of their transpose; null as {@link #of(INDArray)}. */
        static Layout of(INDArray x, boolean transposed) {
            int r = x.rank();
            int i = transposed ? r - 1 : r - 2;
            int j = transposed ? r - 2 : r - 1;
            long rows = x.size(i);
            long cols = x.size(j);
            long rowStride = x.stride(i);
            long colStride = x.stride(j);
            if (x.length() == 0) {
                return new Layout((byte) 'N', Math.max(1, cols)); // never read: an empty product only zeroes C
            }
            if (cols == 1 || colStride == 1) {
                long ld = rows == 1 ? Math.max(1, cols) : rowStride;
                return ld >= Math.max(1, cols) ? new Layout((byte) 'N', ld) : null;
            }
            if (rows == 1 || rowStride == 1) {
                long ld = cols == 1 ? Math.max(1, rows) : colStride;
                return ld >= Math.max(1, rows) ? new Layout((byte) 'T', ld) : null;
            }
            return null;
        }
    }

    /** A matrix or batch of matrices: the layout of the last two axes (or their transpose), where each item starts. */
    private record Operand(Layout layout, long base, long[] batchShape, long[] batchStride) {
        static Operand of(INDArray x, boolean transposed) {
            int r = x.rank();
            return new Operand(Layout.of(x, transposed), x.data().address() + x.offset() * Float.BYTES,
                    Arrays.copyOf(x.shape(), r - 2), Arrays.copyOf(x.stride(), r - 2));
        }

        /** Address of batch item {@code t}'s element (0, 0); items run in c order over the leading axes. */
        long address(int t) {
            long off = 0;
            for (int d = batchShape.length - 1; d >= 0; d--) {
                off += (t % batchShape[d]) * batchStride[d];
                t = (int) (t / batchShape[d]);
            }
            return base + off * Float.BYTES;
        }
    }

    /** A FloatPointer aimed at any host address without allocating: JavaCPP hands native code address + position. */
    private static final class Address extends FloatPointer {
        Address at(long address) {
            this.address = address;
            this.position = 0;
            return this;
        }
    }
}
