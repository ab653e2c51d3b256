package org.latent4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latent4j.core.train.Trainer;

/** Each example runs end to end with tiny settings and leaves the files a person would open. */
class ExamplesSmokeTest {
    @Test
    void twoMoonsLearnsTheMoonsAndWritesItsRun(@TempDir Path dir) {
        TwoMoonsClassifier.Result r = TwoMoonsClassifier.run(new TwoMoonsClassifier.Options(40, 32, 16, 0.05, 200, 1,
                dir, Trainer.Resume.FRESH, Trainer.Progress.NONE));
        assertTrue(r.accuracy() > 0.7, "accuracy " + r.accuracy());
        assertTrue(Double.isFinite(r.loss()));
        for (String f : new String[] {"decision.png", "loss.png", "metrics.csv", "metrics.json", "index.html"}) {
            assertTrue(Files.exists(dir.resolve(f)), f + " missing");
        }
    }

    @Test
    void coreTourComputesWhatDocsCoreSays(@TempDir Path dir) {
        Map<String, Double> v = CoreTour.run(new CoreTour.Options(dir, 1)).values();
        assertEquals(16.0, v.get("c[1][0]"));
        assertEquals(3.5, v.get("mean"));
        assertEquals(12.0, v.get("dy/dx[1]"), 1e-12);
        assertEquals(12.0, v.get("d2y/dx2[1]"), 1e-12);
        assertEquals(50.0, v.get("checkpoint step"));
        assertEquals(1.0, v.get("copy matches"));
        assertTrue(Files.exists(dir.resolve("samples.png")));
    }

    @Test
    void quickDemoRunsThroughTheCli(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("demo", "--quick", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("two-moons").resolve("index.html")));
    }
}
