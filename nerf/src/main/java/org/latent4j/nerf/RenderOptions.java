package org.latent4j.nerf;

/**
 * How a {@link Nerf} renders a ray: {@code numCoarse} stratified samples for the coarse network, then
 * {@code numFine} more drawn from its weights for the fine network (0: coarse only, no fine network), and the
 * background colour behind the volume.
 */
public record RenderOptions(int numCoarse, int numFine, Background background) {
    public RenderOptions {
        if (numCoarse < 1) {
            throw new IllegalArgumentException("RenderOptions: numCoarse must be positive, got " + numCoarse);
        }
        if (numFine < 0) {
            throw new IllegalArgumentException("RenderOptions: numFine must be non-negative, got " + numFine);
        }
        if (numFine > 0 && numCoarse < 3) {
            throw new IllegalArgumentException("RenderOptions: hierarchical sampling needs numCoarse >= 3, got "
                    + numCoarse);
        }
        if (background == null) {
            throw new IllegalArgumentException("RenderOptions: background must not be null");
        }
    }

    /** The paper's 64 coarse and 128 fine samples per ray, on white. */
    public static RenderOptions paper() {
        return new RenderOptions(64, 128, Background.WHITE);
    }

    /** Few samples for CPU runs on tiny images: 24 coarse and 24 fine, on white. */
    public static RenderOptions tiny() {
        return new RenderOptions(24, 24, Background.WHITE);
    }

    public RenderOptions withSamples(int coarse, int fine) {
        return new RenderOptions(coarse, fine, background);
    }

    public RenderOptions withBackground(Background b) {
        return new RenderOptions(numCoarse, numFine, b);
    }
}
