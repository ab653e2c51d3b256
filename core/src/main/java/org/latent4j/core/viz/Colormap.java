package org.latent4j.core.viz;

/** Maps a value in [0, 1] to a colour by linear interpolation between a few anchor colours. */
public enum Colormap {
    /** Perceptually uniform dark blue → green → yellow (matplotlib's viridis, five anchors): densities. */
    VIRIDIS(0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725),
    /** Diverging blue → white → red: a class probability, 0.5 at the decision boundary. */
    BLUE_WHITE_RED(0x3b4cc0, 0xf7f7f7, 0xb40426),
    /** Black → white. */
    GREY(0x000000, 0xffffff);

    private final int[] anchors;

    Colormap(int... anchors) {
        this.anchors = anchors;
    }

    /** The RGB colour of {@code t}, clamped to [0, 1]; NaN is drawn black. */
    public int rgb(double t) {
        if (Double.isNaN(t)) {
            return 0;
        }
        double u = Math.min(1, Math.max(0, t)) * (anchors.length - 1);
        int i = Math.min((int) u, anchors.length - 2);
        double f = u - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        return (mix(a >> 16, b >> 16, f) << 16) | (mix(a >> 8, b >> 8, f) << 8) | mix(a, b, f);
    }

    private static int mix(int a, int b, double f) {
        int x = a & 0xff;
        int y = b & 0xff;
        return (int) Math.round(x + (y - x) * f);
    }
}
