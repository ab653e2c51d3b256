package org.latent4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.Tensor;

class ImageGridTest {
    @Test
    void greyImagesAreLaidOutInRowsWithPaddingAndMappedFromMinusOneToOne() {
        // 3 images of 2x2: image i is filled with value -1, 0, 1
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = (i / 4) - 1;
        }
        BufferedImage img = ImageGrid.render(Tensor.of(v, 3, 1, 2, 2), new GridOptions(2, 1, 3, PixelRange.MINUS_ONE_TO_ONE));
        // 2 columns, 2 rows, cells of 6 px, 1 px padding: 2*(6+1)+1 = 15
        assertEquals(15, img.getWidth());
        assertEquals(15, img.getHeight());
        assertEquals(0x000000, img.getRGB(1, 1) & 0xffffff);
        assertEquals(0x808080, img.getRGB(8, 6) & 0xffffff);
        assertEquals(0xffffff, img.getRGB(1, 8) & 0xffffff);
        assertEquals(0x000000, img.getRGB(0, 0) & 0xffffff); // padding
        assertEquals(0x000000, img.getRGB(10, 10) & 0xffffff); // empty fourth cell
    }

    @Test
    void rgbChannelsAndZeroToOneRangeAreRespectedAndValuesClamped() {
        float[] v = {2f, 0.5f, -3f}; // one 1x1 RGB pixel: r clamps to 255, g = 128, b clamps to 0
        BufferedImage img = ImageGrid.render(Tensor.of(v, 1, 3, 1, 1), new GridOptions(0, 0, 1, PixelRange.ZERO_TO_ONE));
        assertEquals(1, img.getWidth());
        assertEquals(0xff8000, img.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void automaticScaleMakesSmallImagesAtLeastSixtyFourPixels() {
        assertEquals(8, ImageGrid.autoScale(8, 8));
        assertEquals(3, ImageGrid.autoScale(28, 28));
        assertEquals(1, ImageGrid.autoScale(64, 32));
        BufferedImage img = ImageGrid.render(Tensor.zeros(4, 1, 8, 8), GridOptions.defaults());
        assertEquals(2 * (64 + 2) + 2, img.getWidth());
    }

    @Test
    void stripPutsEveryFrameInOneRowAndWritesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/strip.png");
        ImageGrid.writeStrip(png, Tensor.zeros(5, 3, 4, 4), GridOptions.defaults().withScale(2).withPadding(0));
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(40, back.getWidth());
        assertEquals(8, back.getHeight());
    }

    @Test
    void wrongShapeIsRejectedWithTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(Tensor.zeros(2, 2, 4, 4), GridOptions.defaults()));
        assertEquals("ImageGrid: expected images of shape (N,C,H,W) with C = 1 or 3, got (2,2,4,4)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GridOptions.defaults().withPadding(-1));
    }
}
