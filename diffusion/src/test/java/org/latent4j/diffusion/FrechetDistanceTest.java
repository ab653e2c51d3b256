package org.latent4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.latent4j.core.ops.Random;
import org.latent4j.core.tensor.DType;
import org.latent4j.core.tensor.Rng;
import org.latent4j.core.tensor.Tensor;
import org.latent4j.core.testing.Fixtures;

class FrechetDistanceTest {
    private static final Fixtures FIXTURES = Fixtures.load("frechet_distance");

    @ParameterizedTest
    @ValueSource(strings = {"small", "wide", "rank_deficient"})
    void matchesScipySqrtmOnFixedInputs(String name) {
        Fixtures.Case c = FIXTURES.get(name);
        double expected = c.number("distance");
        double got = FrechetDistance.between(c.tensor("a"), c.tensor("b"));
        assertEquals(expected, got, 1e-9 * Math.max(1, expected), name);
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        Tensor a = Random.randn(new Rng(1), DType.FLOAT64, 50, 8).add(0.5);
        assertEquals(0, FrechetDistance.between(a, a), 1e-10);
    }

    @Test
    void shiftedCopyIsAtTheSquaredShift() {
        Rng rng = new Rng(2);
        Tensor a = Random.randn(rng, DType.FLOAT64, 40, 5);
        double[] shift = {0.5, -1, 2, 0, 0.25};
        Tensor b = a.add(Tensor.of(shift, 1, 5));
        double expected = 0.25 + 1 + 4 + 0 + 0.0625;
        assertEquals(expected, FrechetDistance.between(a, b), 1e-10);
    }

    @Test
    void diagonalGaussiansHaveTheClosedForm() {
        // Σ₁ = diag(a²), Σ₂ = diag(b²): tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁Σ₂)^½) = Σ (a_i − b_i)²
        double[] s1 = {1, 4, 0.25};
        double[] s2 = {9, 1, 0.25};
        var g1 = new FrechetDistance.Statistics(new double[] {0, 0, 0}, diag(s1), 10);
        var g2 = new FrechetDistance.Statistics(new double[] {1, 0, 0}, diag(s2), 10);
        double expected = 1 + (1 - 3) * (1 - 3) + (2 - 1) * (2 - 1) + 0;
        assertEquals(expected, FrechetDistance.between(g1, g2), 1e-12);
    }

    @Test
    void symmetricEigenReconstructsTheMatrix() {
        double[][] m = {{4, 1, -2, 0.5}, {1, 3, 0, 1}, {-2, 0, 5, -1}, {0.5, 1, -1, 2}};
        SymmetricEigen e = SymmetricEigen.of(m);
        double[][] back = e.apply(x -> x);                  // all eigenvalues are positive here
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(m[i][j], back[i][j], 1e-12);
            }
        }
        double[] v = e.values();
        assertTrue(v[0] > 0 && v[0] <= v[1] && v[1] <= v[2] && v[2] <= v[3]);
        double[][] root = e.apply(Math::sqrt);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double sq = 0;
                for (int k = 0; k < 4; k++) {
                    sq += root[i][k] * root[k][j];
                }
                assertEquals(m[i][j], sq, 1e-12);
            }
        }
    }

    @Test
    void badInputsAreRejectedWithTheirShapes() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 4, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.between(a, Tensor.zeros(DType.FLOAT32, 4, 2)));
        assertEquals("FrechetDistance: need (N, D) and (M, D) features, got (4,3) and (4,2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.Statistics.of(Tensor.zeros(DType.FLOAT32, 1, 3)));
        assertEquals("FrechetDistance: features must be (N, D) with N >= 2, got (1,3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
        assertTrue(e.getMessage().startsWith("SymmetricEigen: matrix is not symmetric at (0, 1)"), e.getMessage());
    }

    private static double[][] diag(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            m[i][i] = v[i];
        }
        return m;
    }
}
