package org.latent4j.core.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.tensor.Tensor;

class PlotsAndIndexTest {
    @Test
    void lineChartSkipsValuesALogAxisCannotShow(@TempDir Path dir) throws Exception {
        Series loss = new Series("loss", new double[] {1, 2, 3, 4}, new double[] {2.0, Double.NaN, 0.0, 0.5});
        Plots.writeLines(dir.resolve("loss.png"), "loss", "step", "loss", List.of(loss), Plots.AxisScale.LOG);
        BufferedImage img = ImageIO.read(dir.resolve("loss.png").toFile());
        assertEquals(Plots.WIDTH, img.getWidth());
    }

    @Test
    void scatterOfTensorPointsAndAnEmptySeriesStillDraw(@TempDir Path dir) throws Exception {
        Series data = Series.ofPoints("data", Tensor.of(new float[] {0, 0, 1, 1, 2, 0}, 3, 2));
        Series empty = new Series("nothing", new double[] {Double.NaN}, new double[] {1});
        Plots.writeScatter(dir.resolve("s.png"), "samples", List.of(data, empty));
        assertTrue(Files.size(dir.resolve("s.png")) > 0);
        Plots.writeScatter(dir.resolve("e.png"), "empty", List.of(empty));
        assertTrue(Files.exists(dir.resolve("e.png")));
    }

    @Test
    void indexListsImagesSamplesAndMetricsWithEverythingEscaped(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a b.png"), "x");
        Files.writeString(dir.resolve("samples.txt"), "<script>alert(1)</script>");
        Files.writeString(dir.resolve("metrics.json"), "{}");
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("loss<&>", 0.125);
        metrics.put("steps", 10);
        String html = Files.readString(RunIndex.write(dir, "run \"1\"", metrics));
        assertTrue(html.contains("<title>run &quot;1&quot;</title>"));
        assertTrue(html.contains("<td>loss&lt;&amp;&gt;</td><td class=\"v\">0.125000</td>"));
        assertTrue(html.contains("<img src=\"a%20b.png\""));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("href=\"metrics.json\""));
    }
}
