package org.latent4j.core.kernels;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 2-D convolution, its input gradient and its weight and bias gradients through oneDNN's primitives, called
 * directly (bytedeco's {@code org.bytedeco.dnnl} binding) instead of through ND4J's {@code conv2d}/{@code conv2d_bp}.
 * oneDNN's fast AVX2/AVX-512 kernels want channel-blocked layouts (nChw8c/16c), so each call reorders the NCHW
 * input into a blocked scratch buffer and the blocked result back, as ND4J and PyTorch also do; what this class
 * saves is the rest of ND4J's per-call work. Measured with oneDNN's verbose log on the 2-core AVX2 machine (one
 * OpenMP thread, (16,64,32,32) 64→64 3×3, average ms): the three convolution primitives cost the same on both
 * paths (forward 14–22, input gradient 13–17, weight gradient 19–31), but ND4J's forward+backward runs seven
 * NCHW→blocked reorders of a 4 MB activation (x once for the forward and twice more, the output gradient twice,
 * ...) at 4.5 ms each in the oneDNN 2.3 built into ND4J, about 33 ms in all, where this class runs three at
 * 1.0 ms and two back at 0.9 (5 ms), and ND4J also rebuilds every primitive and allocates fresh blocked
 * temporaries on each call. Here the primitives and their argument maps are built once per shape, the blocked
 * buffers are scratch shared by every shape, the output gradient is reordered once for both backward primitives,
 * and the bias gradient comes out of the weight-gradient primitive. Grouped, strided, dilated and
 * asymmetrically padded convolutions are oneDNN's own; a shape oneDNN refuses falls back to ND4J.
 */
final class OneDnnConvolution {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConvolution.class);
    private static volatile Boolean available;
    private static engine eng;
    private static stream strm;
    /**
     * Plans kept at once. Beyond this the least recently used plan is closed and its native memory (primitives,
     * reordered weights) freed: a run whose shapes keep changing (many image sizes, a short last batch per epoch)
     * would otherwise hold a plan for every shape it ever saw. Rebuilding an evicted plan costs a few
     * milliseconds.
     */
    static final int MAX_PLANS = 64;
    /** The cached plans, least recently used first; null for a geometry oneDNN refused. */
    private static final Map<ConvGeometry, Plan> PLANS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ConvGeometry, Plan> eldest) {
            if (size() <= MAX_PLANS) {
                return false;
            }
            if (eldest.getValue() != null) {
                eldest.getValue().close();
            }
            return true;
        }
    };
    /** Blocked copies of the input, the output (or its gradient), the input gradient and, when the weight
     *  gradient wants another layout, the output gradient again; grown on demand. */
    private static final Scratch SRC = new Scratch();
    private static final Scratch DST = new Scratch();
    private static final Scratch DIFF_SRC = new Scratch();
    private static final Scratch DIFF_DST_FOR_WEIGHTS = new Scratch();

    private OneDnnConvolution() {
    }

    /** True when oneDNN's Java binding and native library load and ND4J keeps arrays in host memory. */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = load();
        }
        return a;
    }

    private static synchronized boolean load() {
        if (available != null) {
            return available;
        }
        boolean ok = false;
        if (!VectorSupport.cpuBackend()) {
            LOG.info("ND4J backend {} is not the CPU one: conv2d runs through ND4J's conv2d ops",
                    Nd4j.getBackend().getClass().getSimpleName());
        } else {
            try {
                Loader.load(dnnl.class);
                eng = new engine(engine.kind.cpu, 0);
                strm = new stream(eng);
                ok = true;
            } catch (Throwable t) { // NoClassDefFoundError without the binding, UnsatisfiedLinkError without the library
                LOG.info("oneDNN's Java binding (org.bytedeco:dnnl with its native jar) is not usable ({}): conv2d "
                        + "runs through ND4J's conv2d ops", t.toString());
            }
        }
        available = ok;
        return ok;
    }

    /** True when the geometry is float32 and oneDNN builds primitives for it. */
    static synchronized boolean supports(ConvGeometry g, DataType dtype) {
        return dtype == DataType.FLOAT && available() && plan(g) != null;
    }

    /** {@code out = conv(x, weight) + bias}; {@code bias} is null exactly when the geometry has none. */
    static synchronized void forward(ConvGeometry g, INDArray x, INDArray weight, INDArray bias, INDArray out) {
        Plan p = required(g);
        p.src.load(x);
        p.forwardWeights.load(weight);
        if (bias != null) {
            p.bias.set_data_handle(address(bias));
        }
        p.dst.bind(out);
        p.forward.execute(strm, p.forwardArgs);
        p.dst.store();
    }

    /**
     * Gradients of the convolution for the output gradient {@code gradOut}: into {@code gradX} and
     * {@code gradW} / {@code gradB} when they are not null ({@code gradB} only when the geometry has a bias);
     * {@code x} is read only for those two, and may be null without them.
     */
    static synchronized void backward(ConvGeometry g, INDArray x, INDArray weight, INDArray gradOut, INDArray gradX,
            INDArray gradW, INDArray gradB) {
        Plan p = required(g);
        if (gradX != null) {
            p.dataDiffDst.load(gradOut);
            p.dataWeights.load(weight);
            p.diffSrc.bind(gradX);
            p.backwardData.execute(strm, p.backwardDataArgs);
            p.diffSrc.store();
        }
        if (gradW != null || gradB != null) {
            INDArray gw = gradW != null ? gradW : Nd4j.createUninitialized(DataType.FLOAT, g.o(), g.c() / g.groups(),
                    g.kh(), g.kw());
            INDArray gb = g.bias() && gradB == null ? Nd4j.createUninitialized(DataType.FLOAT, g.o()) : gradB;
            p.weightsSrc.load(x);
            if (gradX == null || p.weightsDiffDst != p.dataDiffDst) {
                p.weightsDiffDst.load(gradOut); // else still staged by the data gradient
            }
            p.diffWeights.bind(gw);
            if (g.bias()) {
                p.diffBias.set_data_handle(address(gb));
            }
            p.backwardWeights.execute(strm, p.backwardWeightsArgs);
            p.diffWeights.store();
            if (gw != gradW) {
                gw.close();
            }
            if (gb != gradB) {
                gb.close();
            }
        }
    }

    private static Pointer address(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.offset() != 0 || !HostFloats.isDense(a)) {
            throw new IllegalArgumentException("conv2d (oneDNN): arrays must be dense float32 from offset 0");
        }
        return a.data().addressPointer();
    }

    private static Plan required(ConvGeometry g) {
        Plan p = available() ? plan(g) : null;
        if (p == null) {
            throw new IllegalStateException("conv2d: oneDNN cannot run " + g + " here (see Kernels.hasConv2d)");
        }
        return p;
    }

    /** The cached plan of a geometry, built on first use; null (also cached) when oneDNN refuses the shape. */
    private static Plan plan(ConvGeometry g) {
        if (PLANS.containsKey(g)) {
            return PLANS.get(g);
        }
        Plan p;
        try {
            p = new Plan(g);
        } catch (RuntimeException e) {
            LOG.debug("oneDNN has no convolution for {} ({}): using ND4J's", g, e.toString());
            p = null;
        }
        PLANS.put(g, p);
        return p;
    }

    /** How many plans are cached now (at most {@link #MAX_PLANS}); for tests. */
    static synchronized int cachedPlans() {
        return PLANS.size();
    }

    /** A growable buffer of oneDNN-allocated bytes, shared by the plans of every geometry. */
    private static final class Scratch {
        private memory buffer;
        private long bytes;

        Pointer pointer(long need) {
            if (need > bytes) {
                if (buffer != null) {
                    buffer.close();
                }
                buffer = new memory(new memory.desc(new long[] {need}, memory.data_type.u8, memory.format_tag.a), eng);
                bytes = need;
            }
            return buffer.get_data_handle();
        }
    }

    /**
     * One argument of a primitive: a memory over the caller's plain (NCHW / OIHW) array and the memory in the
     * layout the primitive chose. When the layouts agree they share the caller's buffer and nothing is copied;
     * otherwise the primitive's copy lives in a shared {@link Scratch} (activations) or in a buffer of its own
     * (weights), and a reorder moves the data in ({@link #load}) or out ({@link #store}).
     */
    private static final class Staged {
        final memory user;
        final memory inner;
        final reorder move;
        final Scratch scratch;
        final long bytes;

        Staged(memory.desc plain, memory.desc chosen, Scratch scratch, boolean input) {
            user = new memory(plain, eng, (Pointer) null);
            bytes = chosen.get_size();
            if (chosen.equals(plain)) {
                inner = user;
                move = null;
                this.scratch = null;
            } else {
                inner = scratch == null ? new memory(chosen, eng) : new memory(chosen, eng, (Pointer) null);
                move = input ? new reorder(user, inner) : new reorder(inner, user);
                this.scratch = scratch;
            }
        }

        /** Points at the caller's array (and at the scratch when the primitive's copy lives there). */
        void bind(INDArray a) {
            user.set_data_handle(address(a));
            if (scratch != null) {
                inner.set_data_handle(scratch.pointer(bytes));
            }
        }

        void load(INDArray a) {
            bind(a);
            if (move != null) {
                move.execute(strm, user, inner);
            }
        }

        void store() {
            if (move != null) {
                move.execute(strm, inner, user);
            }
        }

        void close() {
            if (move != null) {
                move.close();
                inner.close(); // a scratch-backed inner only points at the shared scratch: that stays
            }
            user.close();
        }
    }

    /**
     * oneDNN's primitives for one geometry (built once: building a primitive, as ND4J does per call, costs more
     * than running a small one) with their staged arguments and argument maps.
     */
    private static final class Plan {
        final Staged src;
        final Staged weightsSrc;
        final Staged forwardWeights;
        final Staged dst;
        final Staged dataDiffDst;
        final Staged dataWeights;
        final Staged diffSrc;
        final Staged weightsDiffDst;
        final Staged diffWeights;
        final memory bias;
        final memory diffBias;
        final primitive forward;
        final primitive backwardData;
        final primitive backwardWeights;
        final IntMemoryMap forwardArgs = new IntMemoryMap();
        final IntMemoryMap backwardDataArgs = new IntMemoryMap();
        final IntMemoryMap backwardWeightsArgs = new IntMemoryMap();

        Plan(ConvGeometry g) {
            long[] xDims = {g.n(), g.c(), g.h(), g.w()};
            long[] yDims = {g.n(), g.o(), g.outH(), g.outW()};
            // grouped weights (O, C/g, kh, kw) are oneDNN's (g, O/g, C/g, kh, kw) over the same memory
            long[] wDims = g.groups() == 1 ? new long[] {g.o(), g.c(), g.kh(), g.kw()}
                    : new long[] {g.groups(), g.o() / g.groups(), g.c() / g.groups(), g.kh(), g.kw()};
            long[] strides = {g.strideH(), g.strideW()};
            long[] dilation = {g.dilationH() - 1L, g.dilationW() - 1L}; // oneDNN counts the gaps: 0 = none
            long[] padL = {g.paddingH(), g.paddingW()};
            // the bottom/right padding that makes oneDNN's output size PyTorch's floor((in + 2p - span) / s) + 1
            long[] padR = {
                (g.outH() - 1) * g.strideH() + (long) g.dilationH() * (g.kh() - 1) + 1 - g.h() - g.paddingH(),
                (g.outW() - 1) * g.strideW() + (long) g.dilationW() * (g.kw() - 1) + 1 - g.w() - g.paddingW()
            };
            memory.desc xAny = desc(xDims, memory.format_tag.any);
            memory.desc yAny = desc(yDims, memory.format_tag.any);
            memory.desc wAny = desc(wDims, memory.format_tag.any);
            memory.desc bDesc = g.bias() ? desc(new long[] {g.o()}, memory.format_tag.x) : new memory.desc();
            convolution_forward.primitive_desc fpd = new convolution_forward.primitive_desc(
                    new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            xAny, wAny, bDesc, yAny, strides, dilation, padL, padR), eng);
            convolution_backward_data.primitive_desc dpd = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(dnnl.algorithm.convolution_direct, xAny, wAny, yAny, strides,
                            dilation, padL, padR), eng, fpd);
            convolution_backward_weights.primitive_desc wpd = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(dnnl.algorithm.convolution_direct, xAny, wAny, bDesc, yAny,
                            strides, dilation, padL, padR), eng, fpd);
            memory.desc xPlain = desc(xDims, memory.format_tag.nchw);
            memory.desc yPlain = desc(yDims, memory.format_tag.nchw);
            memory.desc wPlain = desc(wDims, g.groups() == 1 ? memory.format_tag.oihw : memory.format_tag.goihw);
            // x is staged for the forward and again for the weight gradient, into the same scratch; the output
            // gradient once for both backward primitives when they agree on its layout (small channel counts
            // make oneDNN pick different layouts per primitive)
            src = new Staged(xPlain, fpd.src_desc(), SRC, true);
            weightsSrc = wpd.src_desc().equals(fpd.src_desc()) ? src
                    : new Staged(xPlain, wpd.src_desc(), SRC, true);
            forwardWeights = new Staged(wPlain, fpd.weights_desc(), null, true);
            dst = new Staged(yPlain, fpd.dst_desc(), DST, false);
            dataDiffDst = new Staged(yPlain, dpd.diff_dst_desc(), DST, true);
            dataWeights = new Staged(wPlain, dpd.weights_desc(), null, true);
            diffSrc = new Staged(xPlain, dpd.diff_src_desc(), DIFF_SRC, false);
            weightsDiffDst = wpd.diff_dst_desc().equals(dpd.diff_dst_desc()) ? dataDiffDst
                    : new Staged(yPlain, wpd.diff_dst_desc(), DIFF_DST_FOR_WEIGHTS, true);
            diffWeights = new Staged(wPlain, wpd.diff_weights_desc(), null, false);
            bias = g.bias() ? new memory(bDesc, eng, (Pointer) null) : null;
            diffBias = g.bias() ? new memory(wpd.diff_bias_desc(), eng, (Pointer) null) : null;
            forward = new convolution_forward(fpd);
            backwardData = new convolution_backward_data(dpd);
            backwardWeights = new convolution_backward_weights(wpd);
            forwardArgs.put(dnnl.DNNL_ARG_SRC, src.inner);
            forwardArgs.put(dnnl.DNNL_ARG_WEIGHTS, forwardWeights.inner);
            forwardArgs.put(dnnl.DNNL_ARG_DST, dst.inner);
            backwardDataArgs.put(dnnl.DNNL_ARG_DIFF_DST, dataDiffDst.inner);
            backwardDataArgs.put(dnnl.DNNL_ARG_WEIGHTS, dataWeights.inner);
            backwardDataArgs.put(dnnl.DNNL_ARG_DIFF_SRC, diffSrc.inner);
            backwardWeightsArgs.put(dnnl.DNNL_ARG_SRC, weightsSrc.inner);
            backwardWeightsArgs.put(dnnl.DNNL_ARG_DIFF_DST, weightsDiffDst.inner);
            backwardWeightsArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, diffWeights.inner);
            if (g.bias()) {
                forwardArgs.put(dnnl.DNNL_ARG_BIAS, bias);
                backwardWeightsArgs.put(dnnl.DNNL_ARG_DIFF_BIAS, diffBias);
            }
        }

        /** Frees the plan's native objects; the shared scratch buffers stay. */
        void close() {
            Set<Staged> staged = Collections.newSetFromMap(new IdentityHashMap<>()); // src and the output gradient
            staged.addAll(List.of(src, weightsSrc, forwardWeights, dst, dataDiffDst, dataWeights, diffSrc,
                    weightsDiffDst, diffWeights));                                // may be staged once for two uses
            staged.forEach(Staged::close);
            for (Pointer object : new Pointer[] {forward, backwardData, backwardWeights, forwardArgs, backwardDataArgs,
                backwardWeightsArgs, bias, diffBias}) {
                if (object != null) {
                    object.close();
                }
            }
        }

        private static memory.desc desc(long[] dims, memory.format_tag tag) {
            return new memory.desc(dims, memory.data_type.f32, tag);
        }
    }
}
