package org.latent4j.core.kernels;

import java.lang.ref.Reference;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour upsampling of (N, C, H, W) by an integer factor s in Java, one image plane at a time:
 * {@code out[n, c, i, j] = x[n, c, ⌊i/s⌋, ⌊j/s⌋]}; the backward sums each s×s block of the output gradient.
 * ND4J's way there (a broadcast to (N, C, H, s, W, s) and a reshape that copies a strided view) costs tens of
 * times more.
 */
final class NearestUpsample {
    private static final long PARALLEL_ELEMENTS = 1L << 16;
    private static final int SLOT_IN = 14;
    private static final int SLOT_OUT = 15;

    private NearestUpsample() {
    }

    static void forward(INDArray x, int scale, INDArray out) {
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        int planes = (int) (x.size(0) * x.size(1));
        int wo = w * scale;
        int planeOut = h * scale * wo;
        HostFloats hx = HostFloats.of(x);
        HostFloats ho = HostFloats.of(out);
        run(planes, out.length(), (lo, hi) -> {
            float[] in = Scratch.floats(SLOT_IN, h * w);
            float[] o = Scratch.floats(SLOT_OUT, planeOut);
            for (int p = lo; p < hi; p++) {
                hx.get((long) p * h * w, in, 0, h * w);
                for (int i = 0; i < h; i++) {
                    int row = i * scale * wo;
                    for (int j = 0; j < w; j++) {
                        float v = in[i * w + j];
                        for (int k = 0; k < scale; k++) {
                            o[row + j * scale + k] = v;
                        }
                    }
                    for (int r = 1; r < scale; r++) {
                        System.arraycopy(o, row, o, row + r * wo, wo);
                    }
                }
                ho.put((long) p * planeOut, o, 0, planeOut);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(out);
    }

    static void backward(INDArray gradOut, int scale, INDArray gradIn) {
        int h = (int) gradIn.size(2);
        int w = (int) gradIn.size(3);
        int planes = (int) (gradIn.size(0) * gradIn.size(1));
        int wo = w * scale;
        int planeOut = h * scale * wo;
        HostFloats hg = HostFloats.of(gradOut);
        HostFloats hd = HostFloats.of(gradIn);
        run(planes, gradOut.length(), (lo, hi) -> {
            float[] g = Scratch.floats(SLOT_OUT, planeOut);
            float[] d = Scratch.floats(SLOT_IN, h * w);
            for (int p = lo; p < hi; p++) {
                hg.get((long) p * planeOut, g, 0, planeOut);
                java.util.Arrays.fill(d, 0, h * w, 0f);
                for (int i = 0; i < h * scale; i++) {
                    int row = i * wo;
                    int target = (i / scale) * w;
                    for (int j = 0; j < wo; j++) {
                        d[target + j / scale] += g[row + j];
                    }
                }
                hd.put((long) p * h * w, d, 0, h * w);
            }
        });
        // the kernel read these arrays through their buffers only: keep them (and their memory) alive
        Reference.reachabilityFence(gradOut);
        Reference.reachabilityFence(gradIn);
    }

    private static void run(int planes, long elements, Parallel.RangeBody body) {
        if (elements < PARALLEL_ELEMENTS) {
            body.run(0, planes);
        } else {
            Parallel.forShares(planes, 1, body);
        }
    }
}
