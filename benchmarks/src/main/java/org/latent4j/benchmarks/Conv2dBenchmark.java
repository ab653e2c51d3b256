package org.latent4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.latent4j.core.kernels.ConvGeometry;
import org.latent4j.core.kernels.Kernels;
import org.latent4j.core.tensor.Rng;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 3×3 conv2d, stride 1, padding 1, NCHW, weights (O,I,kh,kw) as PyTorch, into preallocated outputs: the
 * {@link Kernels#conv2d} seam that ops/Convolution uses (oneDNN's primitives called directly), and beside it
 * ND4J's conv2d / conv2d_bp custom ops (oneDNN inside ND4J's build), which ops/Convolution called before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class Conv2dBenchmark {
    /** N,C,H,W,O */
    @Param({"16,64,32,32,64"})
    public String shape;

    private INDArray x;
    private INDArray w;
    private INDArray b;
    private INDArray y;
    private INDArray gy;
    private INDArray gx;
    private INDArray gw;
    private INDArray gb;
    private Conv2DConfig config;
    private ConvGeometry geometry;

    @Setup(Level.Trial)
    public void setup() {
        long[] s = BenchArrays.shape(shape);
        Rng rng = new Rng(6);
        x = BenchArrays.uniform(rng, -1, 1, s[0], s[1], s[2], s[3]);
        w = BenchArrays.uniform(rng, -0.1, 0.1, s[4], s[1], 3, 3);
        b = BenchArrays.uniform(rng, -0.1, 0.1, s[4]);
        y = BenchArrays.zeros(s[0], s[4], s[2], s[3]);
        gy = BenchArrays.uniform(rng, -1, 1, s[0], s[4], s[2], s[3]);
        gx = BenchArrays.zeros(s[0], s[1], s[2], s[3]);
        gw = BenchArrays.zeros(s[4], s[1], 3, 3);
        gb = BenchArrays.zeros(s[4]);
        geometry = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], 3, 3, s[2], s[3], 1, 1, 1, 1, 1, 1, 1, true);
        if (!Kernels.hasConv2d(geometry, x)) {
            throw new IllegalStateException("Conv2dBenchmark: oneDNN's binding is not usable here");
        }
        config = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.OIYX).build();
    }

    /** The seam conv2d takes: oneDNN's primitives called directly, cached per shape. */
    @Benchmark
    public INDArray forward() {
        Kernels.conv2d(geometry, x, w, b, y);
        return y;
    }

    @Benchmark
    public INDArray forwardBackward() {
        Kernels.conv2d(geometry, x, w, b, y);
        Kernels.conv2dBackward(geometry, x, w, gy, gx, gw, gb);
        return gx;
    }

    /** ND4J's conv2d custom op (its oneDNN build), as ops/Convolution called it before the seam. */
    @Benchmark
    public INDArray nd4jForward() {
        Nd4j.exec(new Conv2D(x, w, b, y, config));
        return y;
    }

    @Benchmark
    public INDArray nd4jForwardBackward() {
        Conv2D conv = new Conv2D(x, w, b, y, config);
        Nd4j.exec(conv);
        Conv2DDerivative bp = new Conv2DDerivative();
        bp.addInputArgument(x, w, b, gy);
        bp.addOutputArgument(gx, gw, gb);
        bp.addIArgument(conv.iArgs());
        Nd4j.exec(bp);
        return gx;
    }
}
