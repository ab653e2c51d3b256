package org.latent4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @Test
    void rowsAreAppendedAndAWiderHeaderRewritesTheFile(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.create(dir);
        log.append(0, Map.of("loss", 0.5));
        log.append(1, Map.of("loss", 0.25));
        log.append(2, Map.of("loss", 0.125, "accuracy", 0.75));
        assertEquals(List.of("step,loss,accuracy", "0,0.5,", "1,0.25,", "2,0.125,0.75"),
                Files.readAllLines(dir.resolve(MetricsLog.CSV)));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 0.75}, log.values("accuracy"));
        assertEquals(Map.of("loss", 0.125, "accuracy", 0.75), log.last());
    }

    @Test
    void resumingKeepsOnlyStepsBeforeTheCheckpointAndValuesReadBackExactly(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.create(dir);
        double third = 1.0 / 3;
        for (int s = 0; s < 5; s++) {
            log.append(s, Map.of("loss", third * s));
        }
        MetricsLog resumed = MetricsLog.resume(dir, 3);
        assertArrayEquals(new long[] {0, 1, 2}, resumed.steps());
        assertEquals(third * 2, resumed.values("loss")[2]);
        resumed.append(3, Map.of("loss", 9.0));
        assertEquals("3,9.0", Files.readAllLines(dir.resolve(MetricsLog.CSV)).get(4));
    }

    @Test
    void summaryJsonHasFinalMinMaxAndTailMeanAndSurvivesNaN(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.create(dir);
        for (int s = 0; s < 20; s++) {
            log.append(s, Map.of("loss", 20.0 - s));
        }
        log.append(20, Map.of("loss", Double.NaN));
        log.writeJson(Map.of("steps", 21));
        JsonNode json = new ObjectMapper().readTree(dir.resolve(MetricsLog.JSON).toFile());
        assertEquals(21, json.get("steps").asInt());
        JsonNode loss = json.get("metrics").get("loss");
        assertEquals(1.0, loss.get("min").asDouble());
        assertEquals(20.0, loss.get("max").asDouble());
        assertEquals("NaN", loss.get("final").asText());
        assertTrue(loss.get("mean_last").isTextual() || loss.get("mean_last").isNumber());
    }

    @Test
    void smoothingIsABiasCorrectedMovingAverageThatSkipsGaps() {
        double[] s = MetricsLog.smoothed(new double[] {2, Double.NaN, 2, 4});
        assertEquals(2.0, s[0], 1e-12);   // bias correction: the first value is itself
        assertTrue(Double.isNaN(s[1]));
        assertEquals(2.0, s[2], 1e-12);
        double w = 0.05 * 0.95 * 0.95 + 0.05 * 0.95 + 0.05;
        assertEquals((0.05 * 0.95 * 0.95 * 2 + 0.05 * 0.95 * 2 + 0.05 * 4) / w, s[3], 1e-12);
    }

    @Test
    void badNamesAndNonIncreasingStepsAreRejected(@TempDir Path dir) {
        MetricsLog log = MetricsLog.create(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(0, Map.of("a,b", 1.0)));
        assertEquals("metrics: name 'a,b' must be non-empty, not 'step', and contain no commas, quotes or line breaks",
                e.getMessage());
        log.append(1, Map.of("loss", 1.0));
        assertThrows(IllegalArgumentException.class, () -> log.append(1, Map.of("loss", 1.0)));
    }
}
