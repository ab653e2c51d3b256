package org.latent4j.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;

/**
 * Procedurally drawn, labelled images: one coloured figure (circle, square, triangle, cross, diamond or
 * ring) of random size and position on a black background, with a caption such as "a red circle" or "an orange ring". Images are
 * {@code (N, 3, S, S)} float32 in [-1, 1] (black is -1, full intensity +1; edges antialiased by 4×4
 * supersampling); fields are images, figure labels {@code (N)} int64 and colour labels {@code (N)} int64.
 * Small enough to draw on the fly (32×32 by default), varied enough for conditional generative models.
 */
public final class ShapesDataset implements BatchedDataset {
    /** The figures, in label order. */
    public enum Figure {
        CIRCLE, SQUARE, TRIANGLE, CROSS, DIAMOND, RING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the point (u, v), in units of the figure's radius from its centre (v pointing down), is inside. */
        boolean contains(double u, double v) {
            return switch (this) {
                case CIRCLE -> u * u + v * v <= 1;
                case SQUARE -> Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
                // apex up: the edges from (0,-1) to (±0.87, 0.5) and the base at v = 0.5
                case TRIANGLE -> v <= 0.5 && Math.abs(u) <= (v + 1) * 0.866 / 1.5;
                case CROSS -> Math.abs(u) <= 1 && Math.abs(v) <= 1 && (Math.abs(u) <= 0.3 || Math.abs(v) <= 0.3);
                case DIAMOND -> Math.abs(u) + Math.abs(v) <= 1;
                case RING -> {
                    double r2 = u * u + v * v;
                    yield r2 <= 1 && r2 >= 0.36;
                }
            };
        }
    }

    /** The colours, in label order, as RGB in [0, 1]. */
    public enum Colour {
        RED(1, 0.1, 0.1), GREEN(0.1, 0.85, 0.2), BLUE(0.15, 0.3, 1), YELLOW(1, 0.9, 0.1), MAGENTA(0.95, 0.2, 0.9),
        CYAN(0.1, 0.9, 0.95), ORANGE(1, 0.55, 0.05), WHITE(1, 1, 1);

        final double r;
        final double g;
        final double b;

        Colour(double r, double g, double b) {
            this.r = r;
            this.g = g;
            this.b = b;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_SIZE = 32;
    private static final int SUPERSAMPLE = 4;

    private final TensorDataset data;
    private final List<String> captions;
    private final int imageSize;

    private ShapesDataset(TensorDataset data, List<String> captions, int imageSize) {
        this.data = data;
        this.captions = captions;
        this.imageSize = imageSize;
    }

    /** {@code n} random 32×32 images. */
    public static ShapesDataset generate(Rng rng, int n) {
        return generate(rng, n, DEFAULT_SIZE);
    }

    /** {@code n} random images of {@code size}×{@code size} pixels (at least 8). */
    public static ShapesDataset generate(Rng rng, int n, int size) {
        if (n < 1 || size < 8) {
            throw new IllegalArgumentException("ShapesDataset: need n >= 1 and size >= 8, got n=" + n + ", size=" + size);
        }
        int plane = size * size;
        float[] pixels = new float[n * 3 * plane];
        long[] figures = new long[n];
        long[] colours = new long[n];
        List<String> captions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Figure figure = Figure.values()[rng.nextInt(Figure.values().length)];
            Colour colour = Colour.values()[rng.nextInt(Colour.values().length)];
            double radius = size * (0.2 + 0.15 * rng.nextDouble());
            double cx = radius + 1 + (size - 2 * radius - 2) * rng.nextDouble();
            double cy = radius + 1 + (size - 2 * radius - 2) * rng.nextDouble();
            draw(pixels, i * 3 * plane, size, figure, colour, cx, cy, radius);
            figures[i] = figure.ordinal();
            colours[i] = colour.ordinal();
            captions.add(caption(figure, colour));
        }
        TensorDataset data = new TensorDataset(Tensor.of(pixels, n, 3, size, size), Tensor.ofLongs(figures, n),
                Tensor.ofLongs(colours, n));
        return new ShapesDataset(data, List.copyOf(captions), size);
    }

    /** "a red circle", "an orange ring". */
    public static String caption(Figure figure, Colour colour) {
        return (colour == Colour.ORANGE ? "an " : "a ") + colour.label() + " " + figure.label();
    }

    private static void draw(float[] px, int offset, int size, Figure figure, Colour colour, double cx, double cy,
            double radius) {
        int plane = size * size;
        double step = 1.0 / SUPERSAMPLE;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int inside = 0;
                for (int sy = 0; sy < SUPERSAMPLE; sy++) {
                    for (int sx = 0; sx < SUPERSAMPLE; sx++) {
                        double u = (x + (sx + 0.5) * step - cx) / radius;
                        double v = (y + (sy + 0.5) * step - cy) / radius;
                        if (figure.contains(u, v)) {
                            inside++;
                        }
                    }
                }
                double cover = inside / (double) (SUPERSAMPLE * SUPERSAMPLE);
                int p = offset + y * size + x;
                px[p] = (float) (2 * cover * colour.r - 1);             // [0, 1] → [-1, 1]
                px[p + plane] = (float) (2 * cover * colour.g - 1);
                px[p + 2 * plane] = (float) (2 * cover * colour.b - 1);
            }
        }
    }

    @Override
    public int size() {
        return data.size();
    }

    /** Image {@code (3, S, S)}, figure label and colour label of example {@code index}. */
    @Override
    public List<Tensor> get(int index) {
        return data.get(index);
    }

    /** Images {@code (B, 3, S, S)}, figure labels {@code (B)} and colour labels {@code (B)}. */
    @Override
    public Batch batch(int[] indices) {
        return data.batch(indices);
    }

    /** The images and labels as a {@link TensorDataset}. */
    public TensorDataset tensors() {
        return data;
    }

    public List<String> captions() {
        return captions;
    }

    public String caption(int index) {
        return captions.get(index);
    }

    public int imageSize() {
        return imageSize;
    }

    public static int numFigures() {
        return Figure.values().length;
    }

    public static int numColours() {
        return Colour.values().length;
    }
}
