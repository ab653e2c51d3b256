package org.latent4j.core.viz;

/**
 * How {@link ImageGrid} lays images out.
 *
 * @param columns images per row; 0 picks about a square grid ({@code ceil(sqrt(N))})
 * @param padding pixels of background between and around the images (after scaling)
 * @param scale integer nearest-neighbour upscaling; 0 picks the smallest factor that makes a cell at least
 *     {@link #AUTO_MIN_CELL} pixels wide, so 8×8 or 28×28 samples are still visible
 * @param range the value range of the tensors
 */
public record GridOptions(int columns, int padding, int scale, PixelRange range) {
    /** The smallest cell side the automatic scale aims for. */
    public static final int AUTO_MIN_CELL = 64;

    public GridOptions {
        if (columns < 0) {
            throw new IllegalArgumentException("GridOptions: columns must be >= 0 (0 = automatic), got " + columns);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("GridOptions: padding must be >= 0, got " + padding);
        }
        if (scale < 0 || scale > 64) {
            throw new IllegalArgumentException("GridOptions: scale must be in [0, 64] (0 = automatic), got " + scale);
        }
        if (range == null) {
            throw new IllegalArgumentException("GridOptions: range is null");
        }
    }

    /** Square-ish grid, 2 pixels of padding, automatic scale, values in [-1, 1]. */
    public static GridOptions defaults() {
        return new GridOptions(0, 2, 0, PixelRange.MINUS_ONE_TO_ONE);
    }

    public GridOptions withColumns(int c) {
        return new GridOptions(c, padding, scale, range);
    }

    public GridOptions withPadding(int p) {
        return new GridOptions(columns, p, scale, range);
    }

    public GridOptions withScale(int s) {
        return new GridOptions(columns, padding, s, range);
    }

    public GridOptions withRange(PixelRange r) {
        return new GridOptions(columns, padding, scale, r);
    }
}
