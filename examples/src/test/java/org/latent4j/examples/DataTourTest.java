package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTourTest {
    @Test
    void tourDrawsEveryBuiltInDatasetAndRoundTripsText(@TempDir Path dir) {
        Map<String, Object> v = DataTour.run(new DataTour.Options(dir, 500, 1)).values();
        assertEquals(5, v.get("toy distributions"));
        assertEquals(7, v.get("batches per epoch"));   // 1000 ring points, batches of 128, last one dropped
        assertEquals(Boolean.TRUE, v.get("addition correct"));
        assertTrue(((String) v.get("addition sample")).matches("\\d{3}\\+\\d{3}=\\d{4}"), (String) v.get("addition sample"));
        for (String f : new String[] {"ring.png", "two-moons.png", "shapes.png", "index.html"}) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
    }
}
