package org.latent4j.flow;

import org.latent4j.core.ops.Shapes;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * RealNVP's squeeze (space-to-depth): each 2×2 block of pixels becomes 4 channels, (B, C, H, W) →
 * (B, 4C, H/2, W/2), so 1×1 convolutions and channel masks can mix neighbouring pixels. A reordering of the
 * entries: log|det J| = 0. No parameters.
 */
public final class Squeeze extends Bijector {
    @Override
    public Output forward(Tensor x) {
        if (x.rank() != 4 || x.size(2) % 2 != 0 || x.size(3) % 2 != 0) {
            throw new IllegalArgumentException("Squeeze.forward: input " + Shape.format(x.shape())
                    + " must be (B, C, H, W) with even H and W");
        }
        long b = x.size(0);
        long c = x.size(1);
        long h = x.size(2) / 2;
        long w = x.size(3) / 2;
        Tensor t = Shapes.reshape(x, b, c, h, 2, w, 2);           // (B, C, H/2, 2, W/2, 2)
        t = Shapes.permute(t, 0, 1, 3, 5, 2, 4);                   // (B, C, 2, 2, H/2, W/2)
        return new Output(Shapes.reshape(t, b, 4 * c, h, w), Permutation.zeros(x)); // (B, 4C, H/2, W/2)
    }

    /** (C, H, W) → (4C, H/2, W/2). */
    @Override
    public long[] forwardShape(long[] eventShape) {
        if (eventShape.length != 3 || eventShape[1] % 2 != 0 || eventShape[2] % 2 != 0) {
            throw new IllegalArgumentException("Squeeze: an example must be (C, H, W) with even H and W, got "
                    + Shape.format(eventShape));
        }
        return new long[] {4 * eventShape[0], eventShape[1] / 2, eventShape[2] / 2};
    }

    @Override
    public Tensor inverse(Tensor z) {
        if (z.rank() != 4 || z.size(1) % 4 != 0) {
            throw new IllegalArgumentException("Squeeze.inverse: input " + Shape.format(z.shape())
                    + " must be (B, 4C, H, W)");
        }
        long b = z.size(0);
        long c = z.size(1) / 4;
        long h = z.size(2);
        long w = z.size(3);
        Tensor t = Shapes.reshape(z, b, c, 2, 2, h, w);            // (B, C, 2, 2, H, W)
        t = Shapes.permute(t, 0, 1, 4, 2, 5, 3);                   // (B, C, H, 2, W, 2)
        return Shapes.reshape(t, b, c, 2 * h, 2 * w);              // (B, C, 2H, 2W)
    }
}
