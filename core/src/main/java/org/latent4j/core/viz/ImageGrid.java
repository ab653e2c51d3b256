package org.latent4j.core.viz;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Lays a batch of images, a tensor of shape (N, C, H, W) with C = 1 (grey) or 3 (RGB), out as one picture:
 * rows of {@code columns} cells separated by black padding, each image scaled up by an integer factor
 * (nearest neighbour) so small samples stay visible. Values outside the {@link PixelRange} are clamped.
 * An interpolation strip is the same with every image in one row ({@link #strip}).
 */
public final class ImageGrid {
    private ImageGrid() {
    }

    /** The grid as an image. */
    public static BufferedImage render(Tensor images, GridOptions options) {
        long[] s = images.shape();
        if (s.length != 4 || (s[1] != 1 && s[1] != 3) || s[0] < 1 || s[2] < 1 || s[3] < 1) {
            throw new IllegalArgumentException("ImageGrid: expected images of shape (N,C,H,W) with C = 1 or 3, got "
                    + Shape.format(s));
        }
        int n = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int scale = options.scale() > 0 ? options.scale() : autoScale(h, w);
        int columns = options.columns() > 0 ? Math.min(options.columns(), n) : (int) Math.ceil(Math.sqrt(n));
        int rows = (n + columns - 1) / columns;
        int pad = options.padding();
        int cellW = w * scale;
        int cellH = h * scale;
        long width = (long) columns * (cellW + pad) + pad;
        long height = (long) rows * (cellH + pad) + pad;
        if (width * height > 64L << 20) {
            throw new IllegalArgumentException("ImageGrid: a " + width + "x" + height
                    + " picture is too large; show fewer images or a smaller scale");
        }
        BufferedImage out = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        double[] v = images.toDoubleArray(); // (N, C, H, W) row-major
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = pad + (i % columns) * (cellW + pad);
            int y0 = pad + (i / columns) * (cellH + pad);
            int base = i * c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = base + y * w + x;
                    int r = options.range().toByte(v[p]);
                    int g = c == 3 ? options.range().toByte(v[p + plane]) : r;
                    int b = c == 3 ? options.range().toByte(v[p + 2 * plane]) : r;
                    fill(out, x0 + x * scale, y0 + y * scale, scale, (r << 16) | (g << 8) | b);
                }
            }
        }
        return out;
    }

    /** Writes the grid to a PNG file, creating parent folders. */
    public static void write(Path png, Tensor images, GridOptions options) {
        Png.write(png, render(images, options));
    }

    /** Writes the images side by side in one row: frames of an interpolation, steps of a sampler. */
    public static void writeStrip(Path png, Tensor frames, GridOptions options) {
        Png.write(png, render(frames, options.withColumns(Integer.MAX_VALUE)));
    }

    /** The smallest integer factor that makes the larger side at least {@link GridOptions#AUTO_MIN_CELL}. */
    static int autoScale(int h, int w) {
        int side = Math.max(h, w);
        return Math.max(1, (GridOptions.AUTO_MIN_CELL + side - 1) / side);
    }

    private static void fill(BufferedImage img, int x0, int y0, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                img.setRGB(x0 + dx, y0 + dy, rgb);
            }
        }
    }
}
