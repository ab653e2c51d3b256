package org.latent4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.Tensor;

class HeatMapTest {
    @Test
    void histogramCountsPointsPerCellWithRowZeroAtTheTop() {
        Tensor pts = Tensor.of(new float[] {-0.5f, 0.5f, -0.5f, 0.6f, 0.5f, -0.5f, 5f, 5f}, 4, 2);
        double[][] h = HeatMap.histogram(pts, Extent.square(1), 2);
        assertEquals(2, h[0][0]); // top-left: x < 0, y > 0
        assertEquals(1, h[1][1]); // bottom-right
        assertEquals(0, h[0][1] + h[1][0]); // (5, 5) is outside
    }

    @Test
    void gridPointsAreCellCentresFromTheTopRow() {
        float[] g = Extent.square(1).gridPoints(2).toFloatArray();
        assertEquals(-0.5f, g[0]);
        assertEquals(0.5f, g[1]);
        assertEquals(0.5f, g[6]);
        assertEquals(-0.5f, g[7]);
    }

    @Test
    void densityAndFieldPicturesAreWritten(@TempDir Path dir) throws Exception {
        Tensor pts = Tensor.of(new float[] {0f, 0f, 0.2f, 0.1f}, 2, 2);
        HeatMap.writeDensity(dir.resolve("d.png"), pts, Extent.square(1), 16);
        BufferedImage d = ImageIO.read(dir.resolve("d.png").toFile());
        assertEquals(16 * (HeatMap.PIXELS / 16), d.getWidth());

        Tensor field = Tensor.of(new float[] {0f, 1f, 1f, 0f}, 4);
        HeatMap.writeField(dir.resolve("f.png"), field, Extent.square(1), Colormap.BLUE_WHITE_RED, pts, new long[] {0, 1});
        BufferedImage f = ImageIO.read(dir.resolve("f.png").toFile());
        // with points on top the field is drawn half way to white
        assertEquals(0x9da5df, f.getRGB(2, 2) & 0xffffff);   // (0x3b4cc0 + 0xffffff) / 2 per channel
        assertEquals(0xd98192, f.getRGB(f.getWidth() - 3, 2) & 0xffffff);
    }

    @Test
    void colormapsInterpolateBetweenAnchorsAndClamp() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(-1));
        assertEquals(0xfde725, Colormap.VIRIDIS.rgb(1));
        assertEquals(0x808080, Colormap.GREY.rgb(0.5));
        assertTrue(Colormap.BLUE_WHITE_RED.rgb(0.5) == 0xf7f7f7);
    }

    @Test
    void badInputsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeatMap.histogram(Tensor.zeros(3, 3), Extent.square(1), 4));
        assertEquals("HeatMap.histogram: expected points of shape (N,2), got (3,3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Extent(1, 0, 0, 1));
    }
}
