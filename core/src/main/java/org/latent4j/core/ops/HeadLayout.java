package org.latent4j.core.ops;

import java.nio.FloatBuffer;
import org.latent4j.core.kernels.Kernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves attention heads between a sequence layout and a per-head layout in one pass over float32 buffers:
 * {@code (B, T, P·H·D)}, P parts side by side on the last axis (P = 3 for a packed [q | k | v] projection,
 * 1 for merged heads), and P arrays {@code (B, H, T, D)}. The composed route (slice, reshape, permute, copy to
 * row-major, and each one's backward) made five to seven native copies of every activation.
 */
final class HeadLayout {
    private HeadLayout() {
    }

    /** Whether the loops take these arrays: float32, dense, c-ordered, each a whole buffer from offset 0. */
    static boolean applies(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && (a.dataType() != DataType.FLOAT || !Kernels.isWholeBuffer(a))) {
                return false;
            }
        }
        return true;
    }

    /** {@code parts[p] (B, H, T, D) ← seq (B, T, P·H·D)}, part p being the p-th block of H·D channels. */
    static void split(INDArray seq, int heads, INDArray[] parts) {
        copy(seq, heads, parts, true);
    }

    /** {@code seq (B, T, P·H·D) ← parts[p] (B, H, T, D)}; a null part leaves zeros in its channels. */
    static void merge(INDArray[] parts, int heads, INDArray seq) {
        copy(seq, heads, parts, false);
    }

    /**
     * Both directions over one index map: batch n's T rows of {@code seq} pass through {@code rows}, and head h
     * of part p, the channels from (p·H + h)·D of each row, through {@code block} (T, D) at
     * ((n·H + h)·T)·D of part p's buffer. The direction is chosen per (T, D) block, outside the copy loops.
     */
    private static void copy(INDArray seq, int heads, INDArray[] parts, boolean toParts) {
        int b = (int) seq.size(0);
        int t = (int) seq.size(1);
        int width = (int) seq.size(2);
        int p = parts.length;
        int d = width / (p * heads);
        float[] rows = HostLoops.floats(0, t * width);
        float[] block = HostLoops.floats(1, t * d);
        FloatBuffer seqBuffer = seq.data().asNioFloat();
        FloatBuffer[] partBuffers = new FloatBuffer[p];
        for (int i = 0; i < p; i++) {
            partBuffers[i] = parts[i] == null ? null : parts[i].data().asNioFloat();
        }
        for (int n = 0; n < b; n++) {
            if (toParts) {
                seqBuffer.get(n * t * width, rows, 0, t * width);
            }
            for (int part = 0; part < p; part++) {
                FloatBuffer partBuffer = partBuffers[part];
                for (int h = 0; h < heads; h++) {
                    int channel = (part * heads + h) * d;
                    int offset = ((n * heads + h) * t) * d;
                    if (toParts) {
                        for (int s = 0; s < t; s++) {
                            System.arraycopy(rows, s * width + channel, block, s * d, d);
                        }
                        partBuffer.put(offset, block, 0, t * d);
                    } else if (partBuffer == null) {
                        for (int s = 0; s < t; s++) {
                            java.util.Arrays.fill(rows, s * width + channel, s * width + channel + d, 0f);
                        }
                    } else {
                        partBuffer.get(offset, block, 0, t * d);
                        for (int s = 0; s < t; s++) {
                            System.arraycopy(block, s * d, rows, s * width + channel, d);
                        }
                    }
                }
            }
            if (!toParts) {
                seqBuffer.put(n * t * width, rows, 0, t * width);
            }
        }
    }
}
