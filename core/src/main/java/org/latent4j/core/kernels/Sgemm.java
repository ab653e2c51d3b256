package org.latent4j.core.kernels;

import static org.latent4j.core.kernels.SgemmTiles.AS;
import static org.latent4j.core.kernels.SgemmTiles.L;
import static org.latent4j.core.kernels.SgemmTiles.NR;
import static org.latent4j.core.kernels.SgemmTiles.S;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.FloatVector;
import org.latent4j.core.tensor.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Single-precision matrix product {@code C = A·B} in Java with the Vector API, blocked as in GotoBLAS/BLIS
 * (Goto and van de Geijn, 2008): B is packed once into NR-wide column panels (k deep), A block by block into
 * MR-row slivers KC deep (a block of MC rows stays in L2), and an MR × NR register tile
 * ({@link SgemmTiles}) walks each B panel, which stays in L1 while the block's slivers pass over it. Packing
 * reads either layout of each matrix, so a transposed view (Linear's {@code x·Wᵀ}, the backward's
 * {@code Aᵀ·g}) is never copied first. One product is split over the kernel threads by rows (or by column
 * panels when there are few rows), the threads packing B together first; a batch is split by item.
 */
final class Sgemm {
    /** Rows of the register tile: 8 where there are 32 vector registers (AVX-512), else 5 (see SgemmTiles). */
    static final int MR = L >= 16 ? 8 : 5;
    /** k steps per packed block: a B panel slice (KC × NR) then fills half of a 32 KiB L1. */
    static final int KC = 256;
    /** Rows per packed A block, a multiple of every tile height (5, 6, 8); the block fits in L2 with room. */
    static final int MC = 120;
    static final Blocking DEFAULT = new Blocking(MR, KC, MC);
    /** Below this many multiply-adds one thread is faster than handing half the work to another. */
    static final long PARALLEL_WORK = 1L << 21;

    private static final int SLOT_B = 0;
    private static final int SLOT_A = 1;
    private static final int SLOT_C = 2;
    private static final int SLOT_LINE = 3;
    private static final int SLOT_ROW = 4;
    /** Floats staged per step when packing B: 16 KiB, well inside L1. */
    private static final int LINE = 4096;

    private Sgemm() {
    }

    /**
     * True when the kernel can read {@code x} in place: float32 whose last two axes are row-major or
     * column-major (a unit stride on one of them), with any strides on the leading axes.
     */
    static boolean readable(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.rank() >= 2 && Operand.unitStride(x) != 0;
    }

    /**
     * {@code out = a @ b} over the last two axes with equal leading axes; a and b {@link #readable}, out
     * float32, c-ordered and dense.
     */
    static void matmul(INDArray a, INDArray b, INDArray out) {
        matmul(a, b, out, DEFAULT);
    }

    /**
     * The register tile's height (5, 6 or 8), the k depth and the row count of a packed A block; not
     * {@link #DEFAULT} only in tests (every tile) and tuning runs.
     */
    record Blocking(int mr, int kc, int mc) {
        Blocking {
            if (mr != 5 && mr != 6 && mr != 8) {
                throw new IllegalArgumentException("sgemm: register tile rows must be 5, 6 or 8, not " + mr);
            }
            if (kc < 1 || mc < mr || mc % mr != 0) {
                throw new IllegalArgumentException("sgemm: blocking kc=" + kc + ", mc=" + mc + " for " + mr + " rows");
            }
        }
    }

    /** {@link #matmul} with the given blocking. */
    static void matmul(INDArray a, INDArray b, INDArray out, Blocking z) {
        if (!emptyProduct(a, out)) {
            run(Operand.of(a), Operand.of(b), out, z);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(out);
    }

    /** True (with zeros written) when there is nothing to multiply: no output, or an inner dimension of 0. */
    private static boolean emptyProduct(INDArray a, INDArray out) {
        if (out.length() == 0) {
            return true;
        }
        if (a.size(a.rank() - 1) != 0) {
            return false;
        }
        HostFloats hc = HostFloats.of(out);
        int n = Math.toIntExact(out.size(out.rank() - 1));
        float[] zeros = new float[n];
        for (long row = 0; row < out.length() / n; row++) {
            hc.put(row * n, zeros, 0, n);
        }
        return true;
    }

    /**
     * {@code out = a @ bᵀ} for 2-D {@code a} (m, k) and {@code b} (n, k), reading b as the column-major (k, n) it
     * is: a linear layer's {@code x·Wᵀ} without a transposed view of W, whose native descriptor ND4J builds anew
     * on every call (about as long as a decoding step's whole product).
     */
    static void matmulTransposedB(INDArray a, INDArray b, INDArray out) {
        if (!emptyProduct(a, out)) {
            run(Operand.of(a), Operand.transposed(b), out, DEFAULT);
        }
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(out);
    }

    private static void run(Operand oa, Operand ob, INDArray out, Blocking z) {
        int m = oa.rows;
        int k = oa.cols;
        int n = ob.cols;
        HostFloats hc = HostFloats.of(out);
        int batch = oa.items;
        if (m <= SmallGemm.MAX_ROWS) {
            for (int t = 0; t < batch; t++) {
                SmallGemm.product(oa, ob, hc, t, m, k, n);
            }
            return;
        }
        long work = (long) m * n * k;
        int threads = Parallel.concurrency(Integer.MAX_VALUE);
        boolean byItem = batch > 1 && work * batch >= PARALLEL_WORK
                && (batch % threads == 0 || batch >= 4 * threads);
        if (byItem) {
            Parallel.forEach(batch, t -> product(oa, ob, hc, t, m, k, n, z, 1));
        } else {
            int parts = work >= PARALLEL_WORK ? threads : 1;
            for (int t = 0; t < batch; t++) {
                product(oa, ob, hc, t, m, k, n, z, parts);
            }
        }
    }

    /**
     * One item's product on up to {@code parts} threads. The threads claim work from shared counters rather than
     * fixed halves, so a thread the machine runs late only does less: first chunks of B panels to pack, then
     * (once all of B is packed) blocks of C rows, or of panels when there are few rows.
     */
    private static void product(Operand oa, Operand ob, HostFloats hc, int item, int m, int k, int n, Blocking z,
                                int parts) {
        int mr = z.mr();
        int panels = (n + NR - 1) / NR;
        float[] bp = Scratch.floats(SLOT_B, panels * k * NR);
        long aBase = oa.base(item);
        long bBase = ob.base(item);
        long cBase = (long) item * m * n;
        int run = parts > 1 ? Parallel.concurrency(parts) : 1;
        if (run == 1) {
            packB(ob, bBase, k, n, z.kc(), 0, panels, bp);
            block(oa, aBase, bp, hc, cBase, m, k, n, 0, m, 0, panels, z);
            return;
        }
        int slivers = (m + mr - 1) / mr;
        boolean byRows = slivers >= panels || slivers >= 4 * run;
        // a multiple of the threads, each unit at most one A block (mc rows)
        int units = byRows ? run * ceilDiv(slivers, run * (z.mc() / mr)) : Math.min(panels, 4 * run);
        int unitRows = ceilDiv(slivers, units) * mr;
        int chunk = ceilDiv(panels, 4 * run);
        AtomicInteger nextPack = new AtomicInteger();
        AtomicInteger packed = new AtomicInteger();
        AtomicInteger nextUnit = new AtomicInteger();
        Parallel.forParts(run, part -> {
            for (int q; (q = nextPack.getAndAdd(chunk)) < panels; ) {
                int q1 = Math.min(panels, q + chunk);
                try {
                    packB(ob, bBase, k, n, z.kc(), q, q1, bp);
                } finally {
                    packed.addAndGet(q1 - q);
                }
            }
            Parallel.await(packed, panels);
            for (int u; (u = nextUnit.getAndIncrement()) < units; ) {
                if (byRows) {
                    block(oa, aBase, bp, hc, cBase, m, k, n, Math.min(m, u * unitRows), Math.min(m, (u + 1) * unitRows),
                            0, panels, z);
                } else {
                    block(oa, aBase, bp, hc, cBase, m, k, n, 0, m, share(panels, u, units), share(panels, u + 1, units), z);
                }
            }
        });
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int share(int total, int part, int parts) {
        return (int) ((long) total * part / parts);
    }

    /**
     * Packs panels [p0, p1) of B (k × n at {@code base}) slice by slice: the rows [pc, pc + kc) of every panel
     * (kc = min(depth, k - pc)) sit together from {@code pc · panels · NR}, panel p's part at {@code p · kc · NR}
     * after that, B[pc + kk][p·NR + j] at {@code kk · NR + j} within it, zero past column n. So a block walks
     * its panel slices in memory order and the prefetcher runs ahead of it.
     */
    static void packB(Operand b, long base, int k, int n, int depth, int p0, int p1, float[] bp) {
        if (p0 >= p1) {
            return;
        }
        int panels = (n + NR - 1) / NR;
        int j0 = p0 * NR;
        int j1 = Math.min(n, p1 * NR);
        if (b.cs == 1) {
            // a group of rows at a time, so each panel is written in runs of rows·NR floats, not NR
            int width = (p1 - p0) * NR;
            int group = Math.max(1, Math.min(depth, LINE / width));
            float[] line = Scratch.floats(SLOT_LINE, group * width);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                for (int g0 = 0; g0 < kc; g0 += group) {
                    int rows = Math.min(group, kc - g0);
                    for (int r = 0; r < rows; r++) {
                        b.get(base + (long) (pc + g0 + r) * b.rs + j0, line, r * width, j1 - j0);
                        Arrays.fill(line, r * width + j1 - j0, (r + 1) * width, 0f);
                    }
                    for (int p = p0; p < p1; p++) {
                        int src = (p - p0) * NR;
                        int dst = pc * panels * NR + p * kc * NR + g0 * NR;
                        for (int r = 0; r < rows; r++, src += width, dst += NR) {
                            FloatVector.fromArray(S, line, src).intoArray(bp, dst);
                            FloatVector.fromArray(S, line, src + L).intoArray(bp, dst + L);
                        }
                    }
                }
            }
            return;
        }
        // column-major B (a transposed row-major matrix): each column is contiguous
        float[] line = Scratch.floats(SLOT_LINE, k);
        for (int j = j0; j < p1 * NR; j++) {
            if (j < j1) {
                b.get(base + (long) j * b.cs, line, 0, k);
            } else if (j == j1) {
                Arrays.fill(line, 0, k, 0f);
            }
            int col = (j / NR) * NR;
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                int dst = pc * panels * NR + col * kc + j % NR;
                for (int kk = 0; kk < kc; kk++) {
                    bp[dst + kk * NR] = line[pc + kk];
                }
            }
        }
    }

    /**
     * Packs rows [i0, i0 + mc) × columns [pc, pc + kc) of A into slivers of mr rows: sliver s holds A[s·mr + r][pc + kk]
     * at {@code s·kc·AS + kk·AS + r}, zero past row mc.
     */
    static void packA(Operand a, long base, int i0, int mc, int pc, int kc, int mr, float[] ap) {
        int slivers = (mc + mr - 1) / mr;
        if (a.cs == 1) {
            // one sliver's rows at a time, then written in k order, so the stores run sequentially
            float[] line = Scratch.floats(SLOT_LINE, mr * kc);
            for (int s = 0; s < slivers; s++) {
                int rows = Math.min(mr, mc - s * mr);
                for (int r = 0; r < rows; r++) {
                    a.get(base + (long) (i0 + s * mr + r) * a.rs + pc, line, r * kc, kc);
                }
                Arrays.fill(line, rows * kc, mr * kc, 0f);
                interleave(line, kc, mr, ap, s * kc * AS);
            }
            return;
        }
        // column-major A (a transposed row-major matrix): each column is contiguous
        float[] line = Scratch.floats(SLOT_LINE, slivers * mr);
        Arrays.fill(line, mc, slivers * mr, 0f);
        for (int kk = 0; kk < kc; kk++) {
            a.get(base + i0 + (long) (pc + kk) * a.cs, line, 0, mc);
            for (int s = 0; s < slivers; s++) {
                System.arraycopy(line, s * mr, ap, s * kc * AS + kk * AS, mr);
            }
        }
    }

    /** {@code ap[dst + kk·AS + r] = line[r·kc + kk]}: mr rows of kc values into k-major order. */
    private static void interleave(float[] line, int kc, int mr, float[] ap, int dst) {
        if (mr == 5) {
            for (int kk = 0, d = dst; kk < kc; kk++, d += AS) {
                ap[d] = line[kk];
                ap[d + 1] = line[kc + kk];
                ap[d + 2] = line[2 * kc + kk];
                ap[d + 3] = line[3 * kc + kk];
                ap[d + 4] = line[4 * kc + kk];
            }
            return;
        }
        for (int r = 0; r < mr; r++) {
            for (int kk = 0; kk < kc; kk++) {
                ap[dst + kk * AS + r] = line[r * kc + kk];
            }
        }
    }

    /**
     * Computes C rows [r0, r1) × panels [p0, p1) from packed B, packing A block by block. The block's C is kept
     * tile by tile ((panel, sliver) tiles of mr × NR, each contiguous), so consecutive tiles are consecutive in
     * memory and the hardware prefetcher has them in cache before the tile needs them.
     */
    private static void block(Operand a, long aBase, float[] bp, HostFloats hc, long cBase, int m, int k, int n,
                              int r0, int r1, int p0, int p1, Blocking z) {
        int mr = z.mr();
        int panels = (n + NR - 1) / NR;
        int width = Math.min(n, p1 * NR) - p0 * NR;
        if (r0 >= r1 || width <= 0) {
            return;
        }
        int maxSlivers = (Math.min(z.mc(), r1 - r0) + mr - 1) / mr;
        int tile = mr * NR;
        float[] ap = Scratch.floats(SLOT_A, maxSlivers * Math.min(z.kc(), k) * AS);
        float[] cb = Scratch.floats(SLOT_C, maxSlivers * (p1 - p0) * tile);
        float[] row = Scratch.floats(SLOT_ROW, (p1 - p0) * NR);
        for (int ic = r0; ic < r1; ic += z.mc()) {
            int mc = Math.min(z.mc(), r1 - ic);
            int slivers = (mc + mr - 1) / mr;
            for (int pc = 0; pc < k; pc += z.kc()) {
                int kc = Math.min(z.kc(), k - pc);
                packA(a, aBase, ic, mc, pc, kc, mr, ap);
                for (int p = p0, t = 0; p < p1; p++) {
                    int bOff = pc * panels * NR + p * kc * NR;
                    for (int s = 0; s < slivers; s++, t += tile) {
                        SgemmTiles.tile(mr, ap, s * kc * AS, bp, bOff, kc, cb, t, NR, pc > 0);
                    }
                }
            }
            for (int i = 0; i < mc; i++) {
                int src = (i / mr) * tile + (i % mr) * NR;
                for (int p = 0; p < p1 - p0; p++, src += slivers * tile) {
                    FloatVector.fromArray(S, cb, src).intoArray(row, p * NR);
                    FloatVector.fromArray(S, cb, src + L).intoArray(row, p * NR + L);
                }
                hc.put(cBase + (long) (ic + i) * n + p0 * NR, row, 0, width);
            }
        }
    }

    /**
     * Where one operand's matrices sit in its buffer: element (i, j) of batch item t is at
     * {@code base(t) + i·rs + j·cs}, with {@code cs == 1} (row-major) or {@code rs == 1} (column-major).
     */
    static final class Operand {
        final int rows;
        final int cols;
        final int rs;
        final int cs;
        final int items;
        private final FloatBuffer data;
        /** The same buffer as bytes, for vector loads straight from it (the small-row products). */
        final java.nio.ByteBuffer bytes;
        private final long offset;
        private final long[] batchShape;
        private final long[] batchStride;

        private Operand(INDArray x, boolean transpose) {
            int r = x.rank();
            long[] shape = x.shape().clone();
            long[] stride = x.stride().clone();
            if (transpose) {
                long t = shape[r - 1];
                shape[r - 1] = shape[r - 2];
                shape[r - 2] = t;
                t = stride[r - 1];
                stride[r - 1] = stride[r - 2];
                stride[r - 2] = t;
            }
            rows = Math.toIntExact(shape[r - 2]);
            cols = Math.toIntExact(shape[r - 1]);
            if (unitStride(shape, stride) == 1) {
                cs = 1;
                rs = rows == 1 ? cols : Math.toIntExact(stride[r - 2]);
            } else {
                rs = 1;
                cs = cols == 1 ? rows : Math.toIntExact(stride[r - 1]);
            }
            batchShape = Arrays.copyOf(shape, r - 2);
            batchStride = Arrays.copyOf(stride, r - 2);
            items = Math.toIntExact(Shape.numel(batchShape));
            data = x.data().asNioFloat();
            bytes = x.data().asNio().order(java.nio.ByteOrder.nativeOrder());
            offset = x.offset();
        }

        static Operand of(INDArray x) {
            if (!readable(x)) {
                throw new IllegalArgumentException("sgemm: operand " + Shape.format(x.shape()) + " with strides "
                        + Arrays.toString(x.stride()) + " has no unit stride on its last two axes");
            }
            return new Operand(x, false);
        }

        /** The 2-D {@code x} (n, k) read as its transpose (k, n). */
        static Operand transposed(INDArray x) {
            if (x.rank() != 2 || !readable(x)) {
                throw new IllegalArgumentException("sgemm: operand " + Shape.format(x.shape()) + " with strides "
                        + Arrays.toString(x.stride()) + " is not a readable matrix");
            }
            return new Operand(x, true);
        }

        /** 1 when the last axis is contiguous (row-major), 2 when the second-to-last is (column-major), else 0. */
        static int unitStride(INDArray x) {
            return unitStride(x.shape(), x.stride());
        }

        private static int unitStride(long[] shape, long[] stride) {
            int r = shape.length;
            if (shape[r - 1] == 1 || stride[r - 1] == 1) {
                return 1;
            }
            return shape[r - 2] == 1 || stride[r - 2] == 1 ? 2 : 0;
        }

        /** Buffer offset of batch item {@code t}'s element (0, 0). */
        long base(int t) {
            long off = offset;
            for (int d = batchShape.length - 1; d >= 0; d--) {
                off += (t % batchShape[d]) * batchStride[d];
                t = (int) (t / batchShape[d]);
            }
            return off;
        }

        void get(long index, float[] dst, int off, int len) {
            data.get(Math.toIntExact(index), dst, off, len);
        }
    }
}
