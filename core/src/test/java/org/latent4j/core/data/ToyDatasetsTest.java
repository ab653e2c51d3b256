package org.latent4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.latent4j.core.tensor.Rng;

class ToyDatasetsTest {
    static final int N = 4000;

    @Test
    void ringHasEightModesAtRadiusTwoWithStdTwoHundredths() {
        TensorDataset d = ToyDatasets.ring(new Rng(1), N);
        assertModes(d, ToyDatasets.ringModes(), 0.02);
        float[] xy = d.field(0).toFloatArray();
        for (int i = 0; i < N; i++) {
            double r = Math.hypot(xy[2 * i], xy[2 * i + 1]);
            assertEquals(2.0, r, 0.12, "point " + i + " lies on the ring");
        }
    }

    @Test
    void gridHasTwentyFiveModesSpacedTwoWithStdFiveHundredths() {
        double[][] modes = ToyDatasets.gridModes();
        assertEquals(25, modes.length);
        assertArrayEquals(new double[] {-4, -4}, modes[0]);
        assertArrayEquals(new double[] {4, 4}, modes[24]);
        assertModes(ToyDatasets.grid(new Rng(2), N), modes, 0.05);
    }

    /** Every mode is used about equally, each point is near its labelled mode, and the spread is the std. */
    private static void assertModes(TensorDataset d, double[][] modes, double std) {
        float[] xy = d.field(0).toFloatArray();
        long[] label = d.field(1).toLongArray();
        int[] count = new int[modes.length];
        double sumSq = 0;
        for (int i = 0; i < label.length; i++) {
            double[] m = modes[(int) label[i]];
            double dx = xy[2 * i] - m[0];
            double dy = xy[2 * i + 1] - m[1];
            sumSq += dx * dx + dy * dy;
            count[(int) label[i]]++;
        }
        double measuredStd = Math.sqrt(sumSq / (2 * label.length));
        assertEquals(std, measuredStd, std * 0.05);
        for (int c : count) {
            assertEquals(N / (double) modes.length, c, 5 * Math.sqrt(N / (double) modes.length));
        }
    }

    @Test
    void moonsRollAndCheckerboardHaveTheirDocumentedSupport() {
        float[] moons = ToyDatasets.twoMoons(new Rng(3), N, 0.0).field(0).toFloatArray();
        long[] moonLabel = ToyDatasets.twoMoons(new Rng(3), N, 0.0).field(1).toLongArray();
        for (int i = 0; i < N; i++) {
            double cx = moonLabel[i] == 0 ? 0 : 1;
            double cy = moonLabel[i] == 0 ? 0 : 0.5;
            assertEquals(1.0, Math.hypot(moons[2 * i] - cx, moons[2 * i + 1] - cy), 1e-5);
        }
        float[] roll = ToyDatasets.swissRoll(new Rng(4), N, 0.0).field(0).toFloatArray();
        for (int i = 0; i < N; i++) {
            double r = Math.hypot(roll[2 * i], roll[2 * i + 1]) * 5;   // r = t for the noiseless roll
            assertTrue(r >= 1.5 * Math.PI - 1e-4 && r <= 4.5 * Math.PI + 1e-4, "radius " + r);
        }
        TensorDataset board = ToyDatasets.checkerboard(new Rng(5), N, 0.0);
        float[] xy = board.field(0).toFloatArray();
        long[] square = board.field(1).toLongArray();
        int[] count = new int[8];
        for (int i = 0; i < N; i++) {
            int col = (int) Math.floor((xy[2 * i] + 4) / 2);
            int row = (int) Math.floor((xy[2 * i + 1] + 4) / 2);
            assertEquals(0, (row + col) % 2, "point " + i + " is on a black square");
            count[(int) square[i]]++;
        }
        for (int c : count) {
            assertTrue(c > N / 8 * 0.8, "every square is used");
        }
    }

    @ParameterizedTest
    @EnumSource(ToyDatasets.Kind.class)
    void everyKindIsDeterministicForASeedAndParsesByName(ToyDatasets.Kind kind) {
        float[] a = kind.sample(new Rng(9), 50).field(0).toFloatArray();
        float[] b = kind.sample(new Rng(9), 50).field(0).toFloatArray();
        assertArrayEquals(a, b);
        assertEquals(kind, ToyDatasets.Kind.parse(kind.cliName()));
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("ToyDatasets.ring: noise must be a finite non-negative std, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> ToyDatasets.ring(new Rng(0), 5, -1)).getMessage());
        assertEquals("ToyDatasets: unknown distribution 'spiral' (two-moons, ring, grid, swiss-roll, checkerboard)",
                assertThrows(IllegalArgumentException.class, () -> ToyDatasets.Kind.parse("spiral")).getMessage());
    }
}
