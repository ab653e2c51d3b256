package org.latent4j.core.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.latent4j.core.tensor.Shape;
import org.latent4j.core.tensor.Tensor;

/**
 * Square heat maps of the plane: the density of 2-D samples (a 2-D histogram, so a GAN that drops modes of a
 * ring of Gaussians shows it at a glance) and a field evaluated on {@link Extent#gridPoints} (a classifier's
 * probability, a flow's log-density), optionally with labelled points drawn on top. Values are laid out
 * {@code [row][column]} with row 0 at the top (largest y).
 */
public final class HeatMap {
    /** Side of the written pictures in pixels (rounded down to a multiple of the grid's resolution). */
    public static final int PIXELS = 480;

    private static final int[] LABEL_COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b,
        0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

    private HeatMap() {
    }

    /** Counts of points (N, 2) per cell of a {@code bins}×{@code bins} grid over {@code extent}; others ignored. */
    public static double[][] histogram(Tensor points, Extent extent, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("HeatMap.histogram: bins must be >= 1, got " + bins);
        }
        double[] p = Extent.xy(points, "HeatMap.histogram");
        double[][] counts = new double[bins][bins];
        for (int i = 0; i < p.length; i += 2) {
            double u = (p[i] - extent.xMin()) / (extent.xMax() - extent.xMin());
            double v = (extent.yMax() - p[i + 1]) / (extent.yMax() - extent.yMin());
            if (u >= 0 && u < 1 && v >= 0 && v < 1) {
                counts[(int) (v * bins)][(int) (u * bins)]++;
            }
        }
        return counts;
    }

    /** Each value (expected in [0, 1]) as a square of {@code cellPixels} in the colour map's colour. */
    public static BufferedImage render(double[][] values, Colormap colormap, int cellPixels) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        if (rows == 0 || cols == 0 || cellPixels < 1) {
            throw new IllegalArgumentException("HeatMap.render: need a non-empty grid and cellPixels >= 1, got "
                    + rows + "x" + cols + " and " + cellPixels);
        }
        BufferedImage img = new BufferedImage(cols * cellPixels, rows * cellPixels, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            if (values[r].length != cols) {
                throw new IllegalArgumentException("HeatMap.render: row " + r + " has " + values[r].length
                        + " values, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                int rgb = colormap.rgb(values[r][c]);
                for (int dy = 0; dy < cellPixels; dy++) {
                    for (int dx = 0; dx < cellPixels; dx++) {
                        img.setRGB(c * cellPixels + dx, r * cellPixels + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /**
     * Writes the density of points (N, 2) as a {@code bins}×{@code bins} histogram in viridis; the colour is
     * {@code log(1 + count) / log(1 + maxCount)} so sparse modes stay visible next to crowded ones.
     */
    public static void writeDensity(Path png, Tensor points, Extent extent, int bins) {
        double[][] counts = histogram(points, extent, bins);
        double max = 0;
        for (double[] row : counts) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        double norm = Math.log1p(Math.max(max, 1));
        for (double[] row : counts) {
            for (int c = 0; c < row.length; c++) {
                row[c] = Math.log1p(row[c]) / norm;
            }
        }
        Png.write(png, render(counts, Colormap.VIRIDIS, Math.max(1, PIXELS / bins)));
    }

    /**
     * Writes a field evaluated at {@code extent.gridPoints(resolution)} (values of shape (resolution²) or
     * (resolution, resolution), expected in [0, 1]) and, when {@code points} (N, 2) is not null, the points on
     * top coloured by {@code labels} (one class id per point; null draws them all in the first colour).
     */
    public static void writeField(Path png, Tensor values, Extent extent, Colormap colormap, Tensor points,
            long[] labels) {
        long n = values.numel();
        int res = (int) Math.round(Math.sqrt(n));
        if ((long) res * res != n || values.rank() > 2) {
            throw new IllegalArgumentException("HeatMap.writeField: values must be (R*R) or (R,R) grid values, got "
                    + Shape.format(values.shape()));
        }
        double[] v = values.toDoubleArray();
        double[][] field = new double[res][res];
        for (int r = 0; r < res; r++) {
            System.arraycopy(v, r * res, field[r], 0, res);
        }
        BufferedImage img = render(field, colormap, Math.max(1, PIXELS / res));
        if (points != null) {
            lighten(img);   // so points in the colour map's own colours stand out
            drawPoints(img, points, labels, extent);
        }
        Png.write(png, img);
    }

    private static void lighten(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = ((rgb >> 16) & 0xff) + 255;
                int g = ((rgb >> 8) & 0xff) + 255;
                int b = (rgb & 0xff) + 255;
                img.setRGB(x, y, ((r / 2) << 16) | ((g / 2) << 8) | (b / 2));
            }
        }
    }

    private static void drawPoints(BufferedImage img, Tensor points, long[] labels, Extent extent) {
        double[] p = Extent.xy(points, "HeatMap.writeField");
        int n = p.length / 2;
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("HeatMap.writeField: " + labels.length + " labels for " + n + " points");
        }
        Png.ensureHeadless();
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1f));
            int d = 7;
            for (int i = 0; i < n; i++) {
                double x = (p[2 * i] - extent.xMin()) / (extent.xMax() - extent.xMin()) * img.getWidth();
                double y = (extent.yMax() - p[2 * i + 1]) / (extent.yMax() - extent.yMin()) * img.getHeight();
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    continue;
                }
                int label = labels == null ? 0 : (int) Math.floorMod(labels[i], (long) LABEL_COLOURS.length);
                int px = (int) Math.round(x) - d / 2;
                int py = (int) Math.round(y) - d / 2;
                g.setColor(new Color(LABEL_COLOURS[label]));
                g.fillOval(px, py, d, d);
                g.setColor(Color.BLACK);
                g.drawOval(px, py, d, d);
            }
        } finally {
            g.dispose();
        }
    }
}
