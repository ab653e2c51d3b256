package org.latent4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latent4j.core.tensor.Rng;

class ShapesDatasetTest {
    @Test
    void imagesAreInRangeWithMatchingLabelsAndCaptions() {
        ShapesDataset d = ShapesDataset.generate(new Rng(1), 60);
        assertArrayEquals(new long[] {60, 3, 32, 32}, d.tensors().field(0).shape());
        float[] px = d.tensors().field(0).toFloatArray();
        long[] figures = d.tensors().field(1).toLongArray();
        long[] colours = d.tensors().field(2).toLongArray();
        for (float v : px) {
            assertTrue(v >= -1 && v <= 1, "pixel " + v);
        }
        int[] seen = new int[ShapesDataset.numFigures()];
        for (int i = 0; i < 60; i++) {
            seen[(int) figures[i]]++;
            assertEquals(ShapesDataset.caption(ShapesDataset.Figure.values()[(int) figures[i]],
                    ShapesDataset.Colour.values()[(int) colours[i]]), d.caption(i));
            assertTrue(coverage(px, i) > 0.04, "image " + i + " shows a figure");
        }
        for (int s : seen) {
            assertTrue(s > 0, "every figure occurs");
        }
        assertEquals("an orange ring", ShapesDataset.caption(ShapesDataset.Figure.RING, ShapesDataset.Colour.ORANGE));
        assertTrue(d.caption(0).matches("an? (red|green|blue|yellow|magenta|cyan|orange|white) "
                + "(circle|square|triangle|cross|diamond|ring)"), d.caption(0));
    }

    @Test
    void aRedCircleIsRedAndRoundAndTheSeedFixesTheImages() {
        ShapesDataset d = ShapesDataset.generate(new Rng(7), 40);
        for (int i = 0; i < d.size(); i++) {
            if (d.caption(i).equals("a red circle")) {
                float[] img = d.get(i).get(0).toFloatArray();
                double red = 0;
                double green = 0;
                for (int p = 0; p < 1024; p++) {
                    red += img[p] + 1;
                    green += img[1024 + p] + 1;
                }
                assertTrue(red > 5 * green, "red dominates");
            }
        }
        try (DataLoader.Epoch e = DataLoader.of(d).batchSize(8).epoch()) {
            Batch b = e.next();
            assertArrayEquals(new long[] {8, 3, 32, 32}, b.x().shape());
            assertArrayEquals(new long[] {8}, b.field(2).shape());
        }
        assertArrayEquals(d.tensors().field(0).toFloatArray(),
                ShapesDataset.generate(new Rng(7), 40).tensors().field(0).toFloatArray());
    }

    /** Fraction of the image's pixels that are not background. */
    private static double coverage(float[] px, int i) {
        int lit = 0;
        for (int p = 0; p < 1024; p++) {
            int o = i * 3 * 1024 + p;
            if (px[o] > -1 || px[o + 1024] > -1 || px[o + 2048] > -1) {
                lit++;
            }
        }
        return lit / 1024.0;
    }
}
