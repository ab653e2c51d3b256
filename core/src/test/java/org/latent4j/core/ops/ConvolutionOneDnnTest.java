package org.latent4j.core.ops;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latent4j.core.testing.TensorAssert.assertClose;
import static org.latent4j.core.testing.TensorAssert.uniform;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.latent4j.core.kernels.ConvGeometry;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.ops.Convolution.Conv1dOptions;
import org.latent4j.core.ops.Convolution.Conv2dOptions;
import org.latent4j.core.ops.Convolution.ConvTranspose2dOptions;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

/**
 * conv2d and conv1d on oneDNN's primitives (the float32 path of {@link Kernels#conv2d}) against ND4J's ops in
 * float64 and (undilated) float32, forward and every gradient, on odd shapes; and against PyTorch's fixtures in
 * float32, dilated ones included.
 */
class ConvolutionOneDnnTest {
    private static final Fixtures FIX = Fixtures.load("conv");

    @AfterEach
    void restoreOneDnn() {
        Kernels.setOneDnnConvolution(true);
    }

    /** Name, x shape, weight shape, options, bias. */
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("batch 1, C 3, 7x7, padding 1", new long[] {1, 3, 7, 7}, new long[] {5, 3, 3, 3},
                        Conv2dOptions.of(1, 1), true),
                Arguments.of("stride 2, groups 2", new long[] {2, 4, 7, 7}, new long[] {6, 2, 3, 3},
                        Conv2dOptions.of(2, 1).withGroups(2), true),
                Arguments.of("dilation 2, no bias", new long[] {1, 3, 7, 7}, new long[] {4, 3, 3, 3},
                        Conv2dOptions.of(1, 2).withDilation(2), false),
                Arguments.of("stride 2 leaving a row and a column unread", new long[] {2, 3, 8, 8},
                        new long[] {4, 3, 3, 3}, Conv2dOptions.of(2, 0), true),
                Arguments.of("16 channels (oneDNN's blocked kernels)", new long[] {2, 16, 9, 9},
                        new long[] {16, 16, 3, 3}, Conv2dOptions.of(1, 1), true),
                Arguments.of("1x3 kernel, stride (2,1), padding (0,1), groups 3", new long[] {1, 6, 7, 5},
                        new long[] {6, 2, 1, 3}, new Conv2dOptions(2, 1, 0, 1, 1, 1, 3), true),
                Arguments.of("depthwise, dilation (2,1), 7x7", new long[] {2, 8, 7, 7}, new long[] {8, 1, 3, 3},
                        new Conv2dOptions(1, 1, 2, 1, 2, 1, 8), true),
                Arguments.of("the benchmark's 64 -> 64 at 8x8", new long[] {2, 64, 8, 8}, new long[] {64, 64, 3, 3},
                        Conv2dOptions.of(1, 1), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void oneDnnMatchesNd4jInFloat32AndFloat64(String name, long[] xShape, long[] wShape, Conv2dOptions o,
            boolean withBias) {
        Rng rng = new Rng(41);
        Tensor x = uniform(rng, -1, 1, xShape);
        Tensor w = uniform(rng, -1, 1, wShape);
        Tensor b = withBias ? uniform(rng, -1, 1, wShape[0]) : null;
        Function<Tensor[], Tensor> conv = ts -> Convolution.conv2d(ts[0], ts[1], ts.length > 2 ? ts[2] : null, o);
        long outH = (xShape[2] + 2L * o.paddingH() - o.dilationH() * (wShape[2] - 1) - 1) / o.strideH() + 1;
        long outW = (xShape[3] + 2L * o.paddingW() - o.dilationW() * (wShape[3] - 1) - 1) / o.strideW() + 1;
        ConvGeometry g = new ConvGeometry(xShape[0], xShape[1], xShape[2], xShape[3], wShape[0], wShape[2],
                wShape[3], outH, outW, o.strideH(), o.strideW(), o.paddingH(), o.paddingW(), o.dilationH(),
                o.dilationW(), o.groups(), withBias);
        assertTrue(Kernels.hasConv2d(g, x.to(DType.FLOAT32).value()), "oneDNN should take " + name);
        Tensor[] reference = run(conv, DType.FLOAT64, rng.copy(), x, w, b);
        Kernels.setOneDnnConvolution(true);
        Tensor[] oneDnn = run(conv, DType.FLOAT32, rng.copy(), x, w, b);
        for (int i = 0; i < reference.length; i++) {
            assertClose(reference[i], oneDnn[i].to(DType.FLOAT64), 1e-4, 1e-5);
        }
        // ND4J's own float32 conv2d (its oneDNN build) rejects dilated convolutions: it passes oneDNN a right
        // padding computed without the dilation ("could not create a descriptor for a dilated convolution")
        if (o.dilationH() == 1 && o.dilationW() == 1) {
            Kernels.setOneDnnConvolution(false);
            Tensor[] nd4j = run(conv, DType.FLOAT32, rng.copy(), x, w, b);
            for (int i = 0; i < reference.length; i++) {
                assertClose(nd4j[i].to(DType.FLOAT64), oneDnn[i].to(DType.FLOAT64), 1e-4, 1e-5);
            }
        }
    }

    /** Name, x shape, weight shape (C_in, C_out/groups, kh, kw), options, bias. */
    static Stream<Arguments> transposedShapes() {
        return Stream.of(
                Arguments.of("stride 1, 7x7", new long[] {1, 3, 7, 7}, new long[] {3, 5, 3, 3},
                        ConvTranspose2dOptions.defaults(), true),
                Arguments.of("DCGAN's 4x4, stride 2, padding 1", new long[] {2, 16, 5, 5}, new long[] {16, 8, 4, 4},
                        ConvTranspose2dOptions.of(2, 1), true),
                Arguments.of("output padding 1 over padding 1, groups 2", new long[] {2, 4, 5, 6},
                        new long[] {4, 3, 3, 3}, ConvTranspose2dOptions.of(2, 1).withOutputPadding(1).withGroups(2),
                        true),
                Arguments.of("output padding 1 over padding 0 (oneDNN gets a negative right padding)",
                        new long[] {1, 3, 4, 4}, new long[] {3, 2, 3, 3},
                        ConvTranspose2dOptions.of(2, 0).withOutputPadding(1), false),
                Arguments.of("dilation 2, stride 3, no bias", new long[] {2, 5, 4, 3}, new long[] {5, 4, 2, 3},
                        ConvTranspose2dOptions.of(3, 1).withDilation(2), false),
                Arguments.of("depthwise 8 channels, 1x3", new long[] {1, 8, 6, 6}, new long[] {8, 1, 1, 3},
                        new ConvTranspose2dOptions(1, 2, 0, 1, 0, 1, 1, 1, 8), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposedShapes")
    void transposedOnOneDnnMatchesFloat64(String name, long[] xShape, long[] wShape, ConvTranspose2dOptions o,
            boolean withBias) {
        Rng rng = new Rng(53);
        Tensor x = uniform(rng, -1, 1, xShape);
        Tensor w = uniform(rng, -1, 1, wShape);
        Tensor b = withBias ? uniform(rng, -1, 1, wShape[1] * o.groups()) : null;
        Function<Tensor[], Tensor> convT = ts -> Convolution.convTranspose2d(ts[0], ts[1], ts.length > 2 ? ts[2] : null,
                o);
        Tensor[] reference = run(convT, DType.FLOAT64, rng.copy(), x, w, b);
        long[] ys = reference[0].shape();
        ConvGeometry transposed = new ConvGeometry(ys[0], ys[1], ys[2], ys[3], xShape[1], wShape[2], wShape[3],
                xShape[2], xShape[3], o.strideH(), o.strideW(), o.paddingH(), o.paddingW(), o.dilationH(),
                o.dilationW(), o.groups(), false);
        assertTrue(Kernels.hasConv2d(transposed, x.to(DType.FLOAT32).value()), "oneDNN should take " + name);
        Tensor[] oneDnn = run(convT, DType.FLOAT32, rng.copy(), x, w, b);
        for (int i = 0; i < reference.length; i++) {
            assertClose(reference[i], oneDnn[i].to(DType.FLOAT64), 1e-4, 1e-5);
        }
    }

    @Test
    void benchmarkShapeRunsOnOneDnn() {
        ConvGeometry g = new ConvGeometry(16, 64, 32, 32, 64, 3, 3, 32, 32, 1, 1, 1, 1, 1, 1, 1, true);
        assertTrue(Kernels.hasConv2d(g, uniform(new Rng(1), -1, 1, 1).to(DType.FLOAT32).value()),
                "the oneDNN binding should load in core's tests");
    }

    @Test
    void conv1dMatchesNd4j() {
        Rng rng = new Rng(43);
        Tensor x = uniform(rng, -1, 1, 2, 4, 11);
        Tensor w = uniform(rng, -1, 1, 6, 2, 3);
        Tensor b = uniform(rng, -1, 1, 6);
        Conv1dOptions o = new Conv1dOptions(2, 1, 1, 2);
        Function<Tensor[], Tensor> conv = ts -> Convolution.conv1d(ts[0], ts[1], ts[2], o);
        Kernels.setOneDnnConvolution(false);
        Tensor[] nd4j = run(conv, DType.FLOAT32, rng.copy(), x, w, b);
        Kernels.setOneDnnConvolution(true);
        Tensor[] oneDnn = run(conv, DType.FLOAT32, rng.copy(), x, w, b);
        for (int i = 0; i < nd4j.length; i++) {
            assertClose(nd4j[i].to(DType.FLOAT64), oneDnn[i].to(DType.FLOAT64), 1e-4, 1e-5);
        }
    }

    /** The first layer of a network: the image needs no gradient, only the weight and bias do (and the reverse). */
    @Test
    void gradientsOnlyWhereRequired() {
        Rng rng = new Rng(47);
        Tensor x = uniform(rng, -1, 1, 2, 3, 7, 7).to(DType.FLOAT32);
        Tensor w = uniform(rng, -1, 1, 4, 3, 3, 3).to(DType.FLOAT32).requireGrad();
        Tensor b = uniform(rng, -1, 1, 4).to(DType.FLOAT32).requireGrad();
        Convolution.conv2d(x, w, b, Conv2dOptions.of(1, 1)).sum().backward();
        assertNull(x.grad());
        Tensor gw = w.grad();
        Tensor gb = b.grad();
        Kernels.setOneDnnConvolution(false);
        Tensor w2 = w.detach().requireGrad();
        Tensor b2 = b.detach().requireGrad();
        Convolution.conv2d(x, w2, b2, Conv2dOptions.of(1, 1)).sum().backward();
        assertClose(w2.grad(), gw, 1e-4, 1e-5);
        assertClose(b2.grad(), gb, 1e-4, 1e-5);
        Kernels.setOneDnnConvolution(true);
        Tensor xg = x.detach().requireGrad();
        Tensor wFrozen = w.detach();
        Convolution.conv2d(xg, wFrozen, null, Conv2dOptions.of(1, 1)).sum().backward();
        assertNull(wFrozen.grad());
        Kernels.setOneDnnConvolution(false);
        Tensor xg2 = x.detach().requireGrad();
        Convolution.conv2d(xg2, wFrozen, null, Conv2dOptions.of(1, 1)).sum().backward();
        assertClose(xg2.grad(), xg.grad(), 1e-4, 1e-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_basic", "conv2d_stride2_pad1", "conv2d_dilation2", "conv2d_groups2",
        "conv1d_groups2_stride2", "conv1d_dilation", "conv_transpose2d_basic", "conv_transpose2d_stride2",
        "conv_transpose2d_outpad_groups", "conv_transpose2d_dilation"})
    void float32MatchesPyTorch(String name) {
        Fixtures.Case c = FIX.get(name);
        Tensor[] xs = c.has("bias") ? new Tensor[] {c.tensor("x"), c.tensor("weight"), c.tensor("bias")}
                : new Tensor[] {c.tensor("x"), c.tensor("weight")};
        for (int i = 0; i < xs.length; i++) {
            xs[i] = xs[i].to(DType.FLOAT32).requireGrad();
        }
        Tensor out = fixtureOp(c).apply(xs);
        assertClose(c.tensor("out"), out.to(DType.FLOAT64), 1e-4, 1e-5);
        out.mul(c.tensor("w").to(DType.FLOAT32)).sum().backward();
        assertClose(c.tensor("grad_x"), xs[0].grad().to(DType.FLOAT64), 1e-4, 1e-5);
        assertClose(c.tensor("grad_weight"), xs[1].grad().to(DType.FLOAT64), 1e-4, 1e-5);
        if (xs.length > 2) {
            assertClose(c.tensor("grad_bias"), xs[2].grad().to(DType.FLOAT64), 1e-4, 1e-5);
        }
    }

    private static Function<Tensor[], Tensor> fixtureOp(Fixtures.Case c) {
        int[] s = pair(c, "stride");
        int[] p = pair(c, "padding");
        int[] d = pair(c, "dilation");
        int groups = (int) c.number("groups");
        if (c.name().startsWith("conv1d")) {
            Conv1dOptions o = new Conv1dOptions(s[0], p[0], d[0], groups);
            return xs -> Convolution.conv1d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
        }
        if (c.name().startsWith("conv_transpose2d")) {
            int[] op = pair(c, "output_padding");
            ConvTranspose2dOptions o = new ConvTranspose2dOptions(s[0], s[1], p[0], p[1], op[0], op[1], d[0], d[1],
                    groups);
            return xs -> Convolution.convTranspose2d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
        }
        Conv2dOptions o = new Conv2dOptions(s[0], s[1], p[0], p[1], d[0], d[1], groups);
        return xs -> Convolution.conv2d(xs[0], xs[1], xs.length > 2 ? xs[2] : null, o);
    }

    private static int[] pair(Fixtures.Case c, String key) {
        int[] a = c.ints(key);
        return a.length == 2 ? a : new int[] {(int) c.number(key), (int) c.number(key)};
    }

    /**
     * Output, then the gradients of x, weight and bias (when given) of {@code Σ r·conv(x, w, b)} for a random
     * weighting {@code r}, all in {@code dtype}.
     */
    private static Tensor[] run(Function<Tensor[], Tensor> conv, DType dtype, Rng rng, Tensor x, Tensor w,
            Tensor b) {
        Tensor[] ins = b == null ? new Tensor[] {x.to(dtype), w.to(dtype)}
                : new Tensor[] {x.to(dtype), w.to(dtype), b.to(dtype)};
        for (Tensor t : ins) {
            t.requireGrad();
        }
        Tensor out = conv.apply(ins);
        Tensor r = uniform(rng, -1, 1, out.shape()).to(dtype);
        out.mul(r).sum().backward();
        Tensor[] result = new Tensor[ins.length + 1];
        result[0] = out.detach();
        for (int i = 0; i < ins.length; i++) {
            result[i + 1] = ins[i].grad();
        }
        return result;
    }
}
